using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Network;
using DicomScript.Network.Dimse;
using DicomScript.Network.Scp;
using DicomScript.Server.Configuration;
using DicomScript.Storage.Identifiers;

namespace DicomScript.Server.Remote;

/// <summary>
/// C-MOVE of a resource from one of the DicomModalities to an AE title, as Orthanc 1.10.1 drives
/// it: the Study Root model at every level, the identifier made of the keys that name the resource
/// at its level only (PatientID; StudyInstanceUID; and the series and instance UIDs below), and
/// any final status other than success a failure.
/// </summary>
public static class RemoteMove
{
    /// <summary>The keys that name a resource at a level in a C-MOVE (and in Orthanc's queries below an answer).</summary>
    public static DicomTag[] KeysAt(ResourceLevel level) => level switch
    {
        ResourceLevel.Patient => [DicomTags.PatientID],
        ResourceLevel.Study => [DicomTags.StudyInstanceUID],
        ResourceLevel.Series => [DicomTags.StudyInstanceUID, DicomTags.SeriesInstanceUID],
        _ => [DicomTags.StudyInstanceUID, DicomTags.SeriesInstanceUID, DicomTags.SOPInstanceUID],
    };

    /// <summary>The keys a C-MOVE at a level sends, taken from an answer or a request; null when one is missing (Orthanc: bad request).</summary>
    public static DicomDataset? Identifier(ResourceLevel level, DicomDataset keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var identifier = new DicomDataset();
        foreach (var tag in KeysAt(level))
        {
            if (keys.Get(tag) is not { } item)
                return null;
            identifier.Add(item);
        }

        identifier.AddString(DicomTags.QueryRetrieveLevel, DicomVR.CS, level switch
        {
            ResourceLevel.Patient => "PATIENT",
            ResourceLevel.Study => "STUDY",
            ResourceLevel.Series => "SERIES",
            _ => "IMAGE",
        });
        return identifier;
    }

    /// <summary>Runs the C-MOVE; an <see cref="IOException"/> says why it failed (network, refusal, failure status).</summary>
    public static async Task MoveAsync(DicomScriptServer archive, DicomModality modality, string localAet, int? timeout, string targetAet,
        DicomDataset identifier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(modality);
        Network.Scu.RetrieveResult result;
        try
        {
            result = await archive.ClientFor(modality, timeout, localAet)
                .MoveAsync(SopClasses.StudyRootMove, targetAet, identifier, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (DicomNetworkException.IsPeerFailure(ex, cancellationToken))
        {
            throw new IOException($"DicomAssociation - C-MOVE to AET \"{modality.AET}\": {ex.Message}", ex);
        }

        if (result.Status is not (DimseStatus.Success or DimseStatus.Pending))
        {
            var reason = result.Status == 0xC000 ? " (unable to process - resource not found ?)" : "";
            throw new IOException($"C-MOVE SCU to AET \"{modality.AET}\" has failed with DIMSE status 0x{result.Status:X4}{reason}");
        }
    }
}
