using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using Microsoft.Extensions.Logging;

namespace DicomScript.Server.Modification;

/// <summary>
/// Applies a <see cref="DicomModification"/> to stored instances: the modified file itself (what
/// <c>/instances/{id}/modify</c> answers), or the modified file stored back into the archive.
/// </summary>
public sealed partial class InstanceModifier(DicomScriptServer archive, ILogger logger)
{
    /// <summary>"Anonymized" and the next number of the archive's counter, as Orthanc names anonymized patients.</summary>
    public string NewAnonymizedPatientName() =>
        "Anonymized" + archive.Index.IncrementGlobalSequence(GlobalProperty.AnonymizationSequence).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The modified file of a stored instance (nothing is stored) and the identifiers of the
    /// original, or null when the instance is unknown.
    /// </summary>
    public (DicomFile File, OrthancIdentifiers Source)? Modify(string instanceId, DicomModification modification)
    {
        ArgumentNullException.ThrowIfNull(modification);
        var file = archive.ReadFile(instanceId);
        if (file is null)
            return null;
        var source = OrthancIdentifiers.FromDataset(file.Dataset);
        foreach (var warning in modification.Apply(file.Dataset))
            LogKeptIdentifier(logger, warning);

        // The meta group follows the dataset, and names us as the file's writer (as dcmtk does for Orthanc).
        var meta = file.Meta;
        meta.Remove(DicomTags.ImplementationClassUID);
        meta.Remove(DicomTags.ImplementationVersionName);
        meta.Remove(DicomTags.SourceApplicationEntityTitle);
        foreach (var (metaTag, datasetTag) in new[] { (DicomTags.MediaStorageSOPClassUID, DicomTags.SOPClassUID), (DicomTags.MediaStorageSOPInstanceUID, DicomTags.SOPInstanceUID) })
        {
            if (file.Dataset.GetString(datasetTag) is { } uid)
                meta.AddString(metaTag, DicomVR.UI, uid);
        }

        return (new DicomFile(meta, file.Dataset, file.TransferSyntax), source);
    }

    [LoggerMessage(3100, LogLevel.Warning, "{Warning}")]
    private static partial void LogKeptIdentifier(ILogger logger, string warning);
}
