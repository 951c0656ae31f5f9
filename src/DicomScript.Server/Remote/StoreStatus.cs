using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Network.Dimse;
using DicomScript.Network.Scu;

namespace DicomScript.Server.Remote;

/// <summary>What a C-STORE SCU makes of the status a modality answers, in Orthanc's words.</summary>
public static class StoreStatus
{
    /// <summary>Why the C-STORE of <paramref name="file"/> to <paramref name="aet"/> failed; null when it succeeded (warnings included).</summary>
    public static string? Failure(ushort status, DicomFile file, string aet)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (status == InstanceSender.NoContextStatus)
        {
            return $"No valid presentation context was negotiated for SOP class UID [{file.Dataset.GetString(DicomTags.SOPClassUID)}] " +
                   $"and transfer syntax [{file.TransferSyntax.Uid}] while sending to modality [{aet}]";
        }

        return status is DimseStatus.Success or 0xB000 or 0xB006 or 0xB007
            ? null
            : $"C-STORE SCU to AET \"{aet}\" has failed with DIMSE status 0x{status:X4}";
    }
}
