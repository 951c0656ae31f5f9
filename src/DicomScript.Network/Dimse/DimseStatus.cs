namespace DicomScript.Network.Dimse;

/// <summary>Status codes of DIMSE-C responses (PS3.7 Annex C and the service classes of PS3.4).</summary>
public static class DimseStatus
{
    public const ushort Success = 0x0000;
    public const ushort Pending = 0xFF00;
    public const ushort PendingWithWarning = 0xFF01;
    public const ushort Cancel = 0xFE00;

    /// <summary>Warning: sub-operations completed with one or more failures (C-MOVE/C-GET).</summary>
    public const ushort SubOperationsCompleteWithFailures = 0xB000;

    /// <summary>Warning: coercion of data elements (C-STORE).</summary>
    public const ushort CoercionOfDataElements = 0xB000;

    public const ushort ElementsDiscarded = 0xB006;
    public const ushort DataSetDoesNotMatchSopClassWarning = 0xB007;

    public const ushort SopClassNotSupported = 0x0122;

    /// <summary>Refused: not authorized (PS3.7 C.5.4), e.g. a caller whose allow list lacks the service.</summary>
    public const ushort NotAuthorized = 0x0124;
    public const ushort ProcessingFailure = 0x0110;
    public const ushort DuplicateInvocation = 0x0210;
    public const ushort UnrecognizedOperation = 0x0211;
    public const ushort MistypedArgument = 0x0212;
    public const ushort OutOfResources = 0xA700;

    /// <summary>C-MOVE/C-GET: out of resources, unable to calculate the number of matches.</summary>
    public const ushort OutOfResourcesCalculatingMatches = 0xA701;

    /// <summary>C-MOVE/C-GET: out of resources, unable to perform sub-operations.</summary>
    public const ushort OutOfResourcesSubOperations = 0xA702;

    /// <summary>C-MOVE: move destination unknown.</summary>
    public const ushort MoveDestinationUnknown = 0xA801;

    /// <summary>C-STORE: data set does not match SOP class; C-FIND/C-MOVE/C-GET: identifier does not match SOP class.</summary>
    public const ushort DataSetDoesNotMatchSopClass = 0xA900;

    /// <summary>Unable to process (C-FIND/C-MOVE/C-GET: 0xCxxx; C-STORE: cannot understand).</summary>
    public const ushort UnableToProcess = 0xC000;

    public static bool IsPending(ushort status) => status is Pending or PendingWithWarning;

    public static bool IsSuccess(ushort status) => status == Success;

    /// <summary>Warnings: 0x0001, 0xB000–0xBFFF (and 0x0107, 0x0116 of DIMSE-N).</summary>
    public static bool IsWarning(ushort status) => status is 0x0001 or 0x0107 or 0x0116 || (status & 0xF000) == 0xB000;

    public static bool IsFailure(ushort status) => !IsPending(status) && !IsSuccess(status) && !IsWarning(status) && status != Cancel;
}
