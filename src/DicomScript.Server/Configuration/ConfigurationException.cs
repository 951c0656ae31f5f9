namespace DicomScript.Server.Configuration;

/// <summary>
/// A configuration that cannot be used: the message names the file (and line) and the reason.
/// A modality or peer can also come from a request body (<c>PUT /modalities/{name}</c>,
/// <c>/tools/dicom-echo</c>): <see cref="Error"/> and <see cref="Details"/> then say it the way
/// Orthanc answers such a body.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConfigurationException()
        : base("invalid configuration")
    {
    }

    /// <summary>Orthanc's error code for this problem in a request body.</summary>
    public OrthancError Error { get; init; } = OrthancError.BadFileFormat;

    /// <summary>Orthanc's Details for this problem in a request body; null where Orthanc gives none.</summary>
    public string? Details { get; init; }
}
