namespace DicomScript.Server;

/// <summary>
/// Orthanc's error codes that the archive reports (numbers and texts of Orthanc 1.10.1): REST
/// answers carry them, and so do failed jobs (ErrorCode, ErrorDescription).
/// </summary>
public enum OrthancError
{
    InternalError = -1,
    Success = 0,
    NotImplemented = 2,
    SystemCommand = 4,
    ParameterOutOfRange = 3,
    BadParameterType = 5,
    BadSequenceOfCalls = 6,
    InexistentItem = 7,
    BadRequest = 8,
    NetworkProtocol = 9,
    InexistentFile = 13,
    BadFileFormat = 15,
    Timeout = 16,
    UnknownResource = 17,
    FullStorage = 19,
    CorruptedFile = 20,
    InexistentTag = 21,
    UnknownDicomTag = 27,
    CanceledJob = 37,
    Revision = 43,
    DicomFindUnavailable = 2016,
    CannotStoreInstance = 2018,
    JsonToLuaTable = 2029,
    CannotCreateLua = 2030,
    CannotExecuteLua = 2031,
    LuaBadOutput = 2033,
    NotLuaPredicate = 2034,
    LuaReturnsNoString = 2035,
}

public static class OrthancErrors
{
    /// <summary>Orthanc's text for a code (its ErrorDescription / Message).</summary>
    public static string Describe(OrthancError error) => error switch
    {
        OrthancError.InternalError => "Internal error",
        OrthancError.Success => "Success",
        OrthancError.NotImplemented => "Not implemented yet",
        OrthancError.SystemCommand => "Error encountered while calling a system command",
        OrthancError.ParameterOutOfRange => "Parameter out of range",
        OrthancError.BadParameterType => "Bad type for a parameter",
        OrthancError.BadSequenceOfCalls => "Bad sequence of calls",
        OrthancError.InexistentItem => "Accessing an inexistent item",
        OrthancError.BadRequest => "Bad request",
        OrthancError.NetworkProtocol => "Error in the network protocol",
        OrthancError.InexistentFile => "Inexistent file",
        OrthancError.BadFileFormat => "Bad file format",
        OrthancError.Timeout => "Timeout",
        OrthancError.UnknownResource => "Unknown resource",
        OrthancError.FullStorage => "The file storage is full",
        OrthancError.CorruptedFile => "Corrupted file (e.g. inconsistent MD5 hash)",
        OrthancError.InexistentTag => "Inexistent tag",
        OrthancError.UnknownDicomTag => "Unknown DICOM tag",
        OrthancError.CanceledJob => "Job has been canceled",
        OrthancError.Revision => "A bad revision number was provided, which might indicate conflict between multiple writers",
        OrthancError.DicomFindUnavailable => "DicomUserConnection: The C-FIND command is not supported by the remote SCP",
        OrthancError.CannotStoreInstance => "Cannot store an instance",
        OrthancError.JsonToLuaTable => "Cannot convert the given JSON object to a Lua table",
        OrthancError.CannotCreateLua => "Cannot create the Lua context",
        OrthancError.CannotExecuteLua => "Cannot execute a Lua command",
        OrthancError.LuaBadOutput => "The Lua function does not give the expected number of outputs",
        OrthancError.NotLuaPredicate => "The Lua function is not a predicate (only true/false outputs allowed)",
        OrthancError.LuaReturnsNoString => "The Lua function does not return a string",
        _ => "Internal error",
    };

    /// <summary>The HTTP status Orthanc answers a code with.</summary>
    public static int HttpStatus(OrthancError error) => error switch
    {
        OrthancError.ParameterOutOfRange or OrthancError.BadParameterType or OrthancError.BadRequest or OrthancError.BadFileFormat => 400,
        OrthancError.InexistentItem or OrthancError.UnknownResource or OrthancError.InexistentTag or OrthancError.InexistentFile => 404,
        OrthancError.Revision => 409,
        OrthancError.NotImplemented => 501,
        OrthancError.FullStorage => 507,
        // Orthanc answers an unknown tag name with 500 (its default for this code); kept for compatibility.
        _ => 500,
    };
}
