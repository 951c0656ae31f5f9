using System.Text;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;

namespace DicomScript.Network.Dimse;

/// <summary>Builds, encodes and reads DIMSE command sets (group 0000, always implicit VR little endian).</summary>
public static class DimseCommands
{
    /// <summary>CommandDataSetType value meaning "no dataset follows".</summary>
    public const ushort NoDataSet = 0x0101;

    /// <summary>A value meaning "a dataset follows" (any other than 0x0101 does).</summary>
    public const ushort DataSetPresent = 0x0000;

    public static DicomDataset Request(CommandField field, ushort messageId, string sopClassUid, bool hasDataSet, DimsePriority priority = DimsePriority.Medium)
    {
        var command = new DicomDataset()
            .AddString(DicomTags.AffectedSOPClassUID, DicomVR.UI, sopClassUid)
            .AddUInt16(DicomTags.CommandField, (ushort)field)
            .AddUInt16(DicomTags.MessageID, messageId)
            .AddUInt16(DicomTags.CommandDataSetType, hasDataSet ? DataSetPresent : NoDataSet);
        if (field != CommandField.CEchoRq)
            command.AddUInt16(DicomTags.Priority, (ushort)priority);
        return command;
    }

    /// <summary>A response to <paramref name="request"/> with the given status.</summary>
    public static DicomDataset Response(DicomDataset request, ushort status, bool hasDataSet = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        var field = (ushort)(GetUInt16(request, DicomTags.CommandField) | 0x8000);
        var response = new DicomDataset()
            .AddUInt16(DicomTags.CommandField, field)
            .AddUInt16(DicomTags.MessageIDBeingRespondedTo, GetUInt16(request, DicomTags.MessageID))
            .AddUInt16(DicomTags.CommandDataSetType, hasDataSet ? DataSetPresent : NoDataSet)
            .AddUInt16(DicomTags.Status, status);
        CopyUid(request, response, DicomTags.AffectedSOPClassUID);
        CopyUid(request, response, DicomTags.AffectedSOPInstanceUID);
        return response;
    }

    /// <summary>Adds the sub-operation counts of a C-MOVE/C-GET response.</summary>
    public static DicomDataset WithSubOperations(DicomDataset response, SubOperationCounts counts, bool includeRemaining)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (includeRemaining)
            response.AddUInt16(DicomTags.NumberOfRemainingSuboperations, (ushort)Math.Min(counts.Remaining, ushort.MaxValue));
        return response
            .AddUInt16(DicomTags.NumberOfCompletedSuboperations, (ushort)Math.Min(counts.Completed, ushort.MaxValue))
            .AddUInt16(DicomTags.NumberOfFailedSuboperations, (ushort)Math.Min(counts.Failed, ushort.MaxValue))
            .AddUInt16(DicomTags.NumberOfWarningSuboperations, (ushort)Math.Min(counts.Warning, ushort.MaxValue));
    }

    public static DicomDataset CancelRequest(ushort messageIdBeingRespondedTo) => new DicomDataset()
        .AddUInt16(DicomTags.CommandField, (ushort)CommandField.CCancelRq)
        .AddUInt16(DicomTags.MessageIDBeingRespondedTo, messageIdBeingRespondedTo)
        .AddUInt16(DicomTags.CommandDataSetType, NoDataSet);

    /// <summary>The command set's bytes: (0000,0000) CommandGroupLength, then the other elements.</summary>
    public static byte[] Encode(DicomDataset command)
    {
        using var body = new MemoryStream();
        DicomWriter.WriteDataset(body, command, DicomTransferSyntax.ImplicitVRLittleEndian);
        using var whole = new MemoryStream((int)body.Length + 12);
        var groupLength = new DicomDataset().AddUInt32(DicomTags.CommandGroupLength, (uint)body.Length);
        DicomWriter.WriteGroupLengthOnly(whole, groupLength);
        body.Position = 0;
        body.CopyTo(whole);
        return whole.ToArray();
    }

    /// <summary>Parses a received command set; a malformed one is a <see cref="NetworkError.MalformedMessage"/>.</summary>
    public static DicomDataset Decode(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var builder = new DatasetBuilder();
            new DicomParser(bytes, true, 0, DicomReadOptions.Default, builder).ParseDataset(0, explicitVR: false, bigEndian: false);
            if (!builder.Dataset.Contains(DicomTags.CommandField))
                throw new DicomNetworkException(NetworkError.MalformedMessage, "command set without CommandField (0000,0100)");
            return builder.Dataset;
        }
        catch (DicomFormatException ex)
        {
            throw new DicomNetworkException(NetworkError.MalformedMessage, $"malformed command set: {ex.Message}", ex);
        }
    }

    public static CommandField Field(DicomDataset command) => (CommandField)GetUInt16(command, DicomTags.CommandField);

    public static bool HasDataSet(DicomDataset command) =>
        !command.Contains(DicomTags.CommandDataSetType) || GetUInt16(command, DicomTags.CommandDataSetType) != NoDataSet;

    /// <summary>A US element of a command, 0 when absent.</summary>
    public static ushort GetUInt16(DicomDataset command, DicomTag tag)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.TryGetElement(tag, out var element) && element.Length >= 2
            ? (ushort)(element.RawValue.Span[0] | element.RawValue.Span[1] << 8)
            : (ushort)0;
    }

    public static string? GetUid(DicomDataset command, DicomTag tag) =>
        command.TryGetElement(tag, out var element) ? Encoding.ASCII.GetString(element.RawValue.Span).TrimEnd('\0', ' ') : null;

    private static void CopyUid(DicomDataset from, DicomDataset to, DicomTag tag)
    {
        if (GetUid(from, tag) is { } uid)
            to.AddString(tag, DicomVR.UI, uid);
    }
}

/// <summary>Sub-operation counts of a C-MOVE or C-GET.</summary>
public readonly record struct SubOperationCounts(int Remaining, int Completed, int Failed, int Warning);
