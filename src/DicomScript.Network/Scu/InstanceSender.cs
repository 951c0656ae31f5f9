using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Network.Association;
using DicomScript.Network.Dimse;

namespace DicomScript.Network.Scu;

/// <summary>
/// Sends one instance with C-STORE on an established association and returns the peer's status. On
/// a context of the file's own syntax, the dataset's bytes as read go as they are when there are
/// some; otherwise the dataset is encoded in the context's syntax.
/// </summary>
public static class InstanceSender
{
    /// <summary>Status reported when no accepted presentation context fits the instance.</summary>
    public const ushort NoContextStatus = DimseStatus.SopClassNotSupported;

    public static async Task<ushort> SendAsync(DicomAssociation association, FileToSend instance, TimeSpan responseTimeout,
        string? moveOriginatorAETitle, ushort? moveOriginatorMessageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(instance);
        var file = instance.File;
        var sopClass = file.Dataset.GetString(DicomTags.SOPClassUID) ?? file.Meta.GetString(DicomTags.MediaStorageSOPClassUID) ?? "";
        var sopInstance = file.Dataset.GetString(DicomTags.SOPInstanceUID) ?? file.Meta.GetString(DicomTags.MediaStorageSOPInstanceUID) ?? "";
        var context = StoreContexts.Choose(association, file, sopClass);
        if (context is null)
            return NoContextStatus;

        var encoded = !instance.DatasetBytes.IsEmpty && context.TransferSyntax.Uid == file.TransferSyntax.Uid
            ? instance.DatasetBytes
            : DicomWriter.Encode(file.Dataset, context.TransferSyntax);

        var command = DimseCommands.Request(CommandField.CStoreRq, 0, sopClass, hasDataSet: true)
            .AddString(DicomTags.AffectedSOPInstanceUID, Dicom.Data.DicomVR.UI, sopInstance);
        if (moveOriginatorAETitle is not null)
        {
            command.AddString(DicomTags.MoveOriginatorApplicationEntityTitle, Dicom.Data.DicomVR.AE, moveOriginatorAETitle);
            command.AddUInt16(DicomTags.MoveOriginatorMessageID, moveOriginatorMessageId ?? 0);
        }

        ushort status = DimseStatus.ProcessingFailure;
        await foreach (var response in association.RequestAsync(context.Id, command, encoded, responseTimeout, cancellationToken).ConfigureAwait(false))
        {
            using (response)
                status = response.Status;
        }

        return status;
    }
}
