using DicomScript.Dicom.Data;

namespace DicomScript.Dicom.Json;

/// <summary>The <c>Type</c> Orthanc gives an element in its full tag format.</summary>
public enum OrthancValueType
{
    String,
    Sequence,
    Null,
    TooLong,
}

/// <summary>
/// One element as Orthanc's REST API shows it: the common model from which the full, simplified and
/// short JSON formats are written.
/// </summary>
public sealed record OrthancTagNode(DicomTag Tag, string Name, string? PrivateCreator, OrthancValueType Type, string? Value,
    IReadOnlyList<IReadOnlyList<OrthancTagNode>>? Items);
