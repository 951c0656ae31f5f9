using System.Buffers.Binary;
using System.IO.Compression;
using DicomScript.Dicom.Data;

namespace DicomScript.Dicom.IO;

/// <summary>
/// Writes datasets strictly: even lengths (padded with the VR's padding byte), sequences and items
/// with undefined length, encapsulated data as items, values converted to the target byte order.
/// Group length elements (gggg,0000) are not written, except the meta group's, which is recomputed:
/// the others are retired and would be wrong after any edit.
/// </summary>
public sealed class DicomWriter
{
    private const uint UndefinedLength = 0xFFFFFFFF;

    private readonly Stream _output;
    private readonly bool _explicitVR;
    private readonly bool _bigEndian;
    private readonly byte[] _scratch = new byte[12];

    private DicomWriter(Stream output, bool explicitVR, bool bigEndian)
    {
        _output = output;
        _explicitVR = explicitVR;
        _bigEndian = bigEndian;
    }

    /// <summary>
    /// Writes a dataset (no preamble, no meta) in <paramref name="syntax"/>. Encapsulated data can only be
    /// written in an encapsulated syntax and native pixel data only in an uncompressed one: converting
    /// between them needs a codec, which is not part of this library.
    /// </summary>
    public static void WriteDataset(Stream output, DicomDataset dataset, DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        CheckPixelDataFits(dataset, syntax);
        if (syntax.IsDeflated)
        {
            // The deflated stream is padded to even length with one zero byte (PS3.5 §A.5);
            // peers reject odd-length dataset fragments otherwise.
            using var compressed = new MemoryStream();
            using (var deflate = new DeflateStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            using (var buffered = new BufferedStream(deflate, 64 * 1024))
                new DicomWriter(buffered, explicitVR: true, bigEndian: false).WriteItems(dataset);
            if (compressed.Length % 2 == 1)
                compressed.WriteByte(0);
            compressed.Position = 0;
            compressed.CopyTo(output);
            return;
        }

        new DicomWriter(output, syntax.IsExplicitVR, syntax.IsBigEndian).WriteItems(dataset);
    }

    /// <summary>
    /// Writes a Part-10 file: 128-byte preamble, "DICM", the meta group (explicit VR little endian,
    /// with the group length and transfer syntax set), then the dataset in <paramref name="syntax"/>.
    /// </summary>
    public static void WriteFile(Stream output, DicomDataset meta, DicomDataset dataset, DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(meta);
        CheckPixelDataFits(dataset, syntax);
        WriteFileHeader(output, meta, dataset, syntax);
        WriteDataset(output, dataset, syntax);
    }

    /// <summary>
    /// The dataset encoded in <paramref name="syntax"/>, in one buffer allocated at (about) its final
    /// size: sending large instances otherwise spends its time growing and copying buffers.
    /// </summary>
    public static ReadOnlyMemory<byte> Encode(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        using var buffer = new MemoryStream(EstimateLength(dataset));
        WriteDataset(buffer, dataset, syntax);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    // Values plus the longest header per element; sequences count their items' contents.
    private static int EstimateLength(DicomDataset dataset)
    {
        long total = 0;
        foreach (var item in dataset)
        {
            total += 16;
            total += item switch
            {
                DicomElement e => e.Length + 1,
                DicomSequence s => s.Items.Sum(i => (long)EstimateLength(i) + 16),
                DicomFragmentSequence f => f.OffsetTable.Length + f.Fragments.Sum(x => x.Length + 9L) + 16,
                _ => 0,
            };
        }

        return (int)Math.Min(total, int.MaxValue / 2);
    }

    /// <summary>
    /// Writes group length elements in implicit VR little endian: the (0000,0000) that must open a
    /// DIMSE command set, which <see cref="WriteDataset"/> leaves out as it does every group length.
    /// </summary>
    public static void WriteGroupLengthOnly(Stream output, DicomDataset groupLengths)
    {
        ArgumentNullException.ThrowIfNull(groupLengths);
        new DicomWriter(output, explicitVR: false, bigEndian: false).WriteItems(groupLengths, includeGroupLength: true);
    }

    /// <summary>
    /// Writes only the preamble, "DICM" and the meta group for <paramref name="syntax"/>: the start of
    /// a file whose dataset follows as bytes already encoded in that syntax (as received by C-STORE).
    /// </summary>
    public static void WriteFileHeader(Stream output, DicomDataset meta, DicomDataset dataset, DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(meta);
        output.Write(new byte[128]);
        output.Write("DICM"u8);
        var metaForSyntax = FileMetaInformation.ForSyntax(meta, dataset, syntax);
        using var metaBytes = new MemoryStream();
        new DicomWriter(metaBytes, explicitVR: true, bigEndian: false).WriteItems(metaForSyntax);
        var groupLength = new DicomDataset().AddUInt32(new DicomTag(0x0002, 0x0000), (uint)metaBytes.Length);
        new DicomWriter(output, explicitVR: true, bigEndian: false).WriteItems(groupLength, includeGroupLength: true);
        metaBytes.Position = 0;
        metaBytes.CopyTo(output);
    }

    /// <summary>Writes a file to <paramref name="path"/> (created or replaced).</summary>
    public static void WriteFile(string path, DicomFile file, DicomTransferSyntax? syntax = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
        WriteFile(stream, file.Meta, file.Dataset, syntax ?? file.TransferSyntax);
    }

    /// <summary>The file as bytes, in <paramref name="syntax"/> (by default the one it was read in).</summary>
    public static byte[] ToBytes(DicomFile file, DicomTransferSyntax? syntax = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var stream = new MemoryStream();
        WriteFile(stream, file.Meta, file.Dataset, syntax ?? file.TransferSyntax);
        return stream.ToArray();
    }

    private static void CheckPixelDataFits(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        var pixelData = dataset.Get(new DicomTag(0x7FE0, 0x0010));
        if (pixelData is DicomFragmentSequence && !syntax.IsEncapsulated)
            throw new InvalidOperationException($"encapsulated pixel data cannot be written as {syntax.Name} without decompressing it");
        if (pixelData is DicomElement && syntax.IsEncapsulated)
            throw new InvalidOperationException($"native pixel data cannot be written as {syntax.Name} without compressing it");
    }

    private void WriteItems(DicomDataset dataset, bool includeGroupLength = false)
    {
        foreach (var item in dataset)
        {
            if (item.Tag.IsGroupLength && !includeGroupLength)
                continue;
            switch (item)
            {
                case DicomElement element:
                    WriteElement(element);
                    break;
                case DicomSequence sequence:
                    WriteSequence(sequence);
                    break;
                case DicomFragmentSequence fragments:
                    WriteFragments(fragments);
                    break;
            }
        }
    }

    private void WriteElement(DicomElement element)
    {
        var vr = element.VR;
        var value = element.RawValue;
        if (element.IsBigEndian != _bigEndian && vr.ValueSize > 1 && vr != DicomVR.UN)
            value = ByteOrder.Swapped(value.Span, DicomElement.SwapUnit(vr));
        var padded = value.Length + (value.Length & 1);

        // A value too long for a 16-bit length (possible after reading implicit VR) is written as UN,
        // the one VR that can carry any value (PS3.5 §6.2.2).
        if (_explicitVR && !vr.HasLongLength && padded > ushort.MaxValue)
            vr = DicomVR.UN;
        WriteHeader(element.Tag, vr, (uint)padded);
        _output.Write(value.Span);
        if ((value.Length & 1) == 1)
            _output.WriteByte(vr.PaddingByte);
    }

    private void WriteSequence(DicomSequence sequence)
    {
        WriteHeader(sequence.Tag, DicomVR.SQ, UndefinedLength);
        foreach (var item in sequence.Items)
        {
            WriteTag(0xFFFE, 0xE000, UndefinedLength);
            WriteItems(item);
            WriteTag(0xFFFE, 0xE00D, 0);
        }

        WriteTag(0xFFFE, 0xE0DD, 0);
    }

    private void WriteFragments(DicomFragmentSequence fragments)
    {
        WriteHeader(fragments.Tag, DicomVR.OB, UndefinedLength);
        WriteFragment(fragments.OffsetTable.Span);
        foreach (var fragment in fragments.Fragments)
            WriteFragment(fragment.Span);
        WriteTag(0xFFFE, 0xE0DD, 0);
    }

    private void WriteFragment(ReadOnlySpan<byte> bytes)
    {
        WriteTag(0xFFFE, 0xE000, (uint)(bytes.Length + (bytes.Length & 1)));
        _output.Write(bytes);
        if ((bytes.Length & 1) == 1)
            _output.WriteByte(0);
    }

    private void WriteHeader(DicomTag tag, DicomVR vr, uint length)
    {
        var s = _scratch.AsSpan();
        WriteUInt16(s, tag.Group);
        WriteUInt16(s[2..], tag.Element);
        if (!_explicitVR)
        {
            WriteUInt32(s[4..], length);
            _output.Write(s[..8]);
            return;
        }

        var (first, second) = vr.Bytes;
        s[4] = first;
        s[5] = second;
        if (vr.HasLongLength)
        {
            s[6] = 0;
            s[7] = 0;
            WriteUInt32(s[8..], length);
            _output.Write(s[..12]);
        }
        else
        {
            WriteUInt16(s[6..], (ushort)length);
            _output.Write(s[..8]);
        }
    }

    // Item and delimiter tags: no VR in any syntax.
    private void WriteTag(ushort group, ushort element, uint length)
    {
        var s = _scratch.AsSpan();
        WriteUInt16(s, group);
        WriteUInt16(s[2..], element);
        WriteUInt32(s[4..], length);
        _output.Write(s[..8]);
    }

    private void WriteUInt16(Span<byte> target, ushort value)
    {
        if (_bigEndian)
            BinaryPrimitives.WriteUInt16BigEndian(target, value);
        else
            BinaryPrimitives.WriteUInt16LittleEndian(target, value);
    }

    private void WriteUInt32(Span<byte> target, uint value)
    {
        if (_bigEndian)
            BinaryPrimitives.WriteUInt32BigEndian(target, value);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(target, value);
    }
}
