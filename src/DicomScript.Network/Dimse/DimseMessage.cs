using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;

namespace DicomScript.Network.Dimse;

/// <summary>A received DIMSE message: its command set and, when one followed, its dataset.</summary>
public sealed class DimseMessage : IDisposable
{
    public DimseMessage(byte presentationContextId, DicomDataset command, ReceivedDataSet? dataSet)
    {
        PresentationContextId = presentationContextId;
        Command = command;
        DataSet = dataSet;
    }

    public byte PresentationContextId { get; }

    public DicomDataset Command { get; }

    public ReceivedDataSet? DataSet { get; }

    public CommandField Field => DimseCommands.Field(Command);

    public ushort MessageId => DimseCommands.GetUInt16(Command, DicomTags.MessageID);

    public ushort MessageIdBeingRespondedTo => DimseCommands.GetUInt16(Command, DicomTags.MessageIDBeingRespondedTo);

    public ushort Status => DimseCommands.GetUInt16(Command, DicomTags.Status);

    public bool IsResponse => ((ushort)Field & 0x8000) != 0;

    public string? AffectedSopClassUid => DimseCommands.GetUid(Command, DicomTags.AffectedSOPClassUID);

    public string? AffectedSopInstanceUid => DimseCommands.GetUid(Command, DicomTags.AffectedSOPInstanceUID);

    public void Dispose() => DataSet?.Dispose();
}
