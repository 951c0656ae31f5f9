using DicomScript.Network.Dimse;
using DicomScript.Network.Scp;
using DicomScript.Storage.Identifiers;

namespace DicomScript.Server.Services;

/// <summary>The Query/Retrieve Level (0008,0052) of a C-FIND, C-MOVE or C-GET identifier.</summary>
internal static class QueryRetrieveLevels
{
    /// <summary>The level named (IMAGE or INSTANCE for instances); a missing or unknown one fails the request with UnableToProcess.</summary>
    public static ResourceLevel Parse(string? text, string service) => text?.Trim().ToUpperInvariant() switch
    {
        "PATIENT" => ResourceLevel.Patient,
        "STUDY" => ResourceLevel.Study,
        "SERIES" => ResourceLevel.Series,
        "IMAGE" or "INSTANCE" => ResourceLevel.Instance,
        null or "" => throw new DimseStatusException(DimseStatus.UnableToProcess, $"{service} without QueryRetrieveLevel (0008,0052)"),
        _ => throw new DimseStatusException(DimseStatus.UnableToProcess, $"{service} with an unknown QueryRetrieveLevel: {text}"),
    };
}
