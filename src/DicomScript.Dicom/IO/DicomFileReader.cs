using System.Buffers.Binary;
using System.IO.Compression;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;

namespace DicomScript.Dicom.IO;

/// <summary>
/// Part-10 framing around <see cref="DicomParser"/>: the optional preamble and "DICM", the meta group
/// (explicit VR little endian), the transfer syntax it names or, for bare datasets, one detected
/// from the first element; and inflation of deflated datasets.
/// </summary>
public static class DicomFileReader
{
    private const int PreambleLength = 128;

    /// <summary>Parses complete input.</summary>
    public static DicomFile Read(ReadOnlyMemory<byte> data, DicomReadOptions options) =>
        TryRead(data, isFinal: true, options)!;

    /// <summary>
    /// Parses <paramref name="data"/>; when it is only a prefix (<paramref name="isFinal"/> false) and
    /// more bytes are needed to reach the stop tag, returns null.
    /// </summary>
    public static DicomFile? TryRead(ReadOnlyMemory<byte> data, bool isFinal, DicomReadOptions options)
    {
        var span = data.Span;
        var position = 0;
        var hasPreamble = false;
        if (span.Length >= PreambleLength + 4 && span.Slice(PreambleLength, 4).SequenceEqual("DICM"u8))
        {
            position = PreambleLength + 4;
            hasPreamble = true;
        }
        else if (span.Length < PreambleLength + 4 && !isFinal)
        {
            return null;
        }

        var meta = new DicomDataset();
        if (span.Length - position >= 4 && BinaryPrimitives.ReadUInt16LittleEndian(span[position..]) == 0x0002)
        {
            var metaParser = new DicomParser(data, isFinal, 0, options, new DatasetBuilder(meta));
            var metaStatus = metaParser.ParseGroup(position, 0x0002);
            if (metaStatus == ParseStatus.NeedMoreData)
                return null;
            position = metaParser.Position;
        }
        else if (hasPreamble && span.Length - position < 4 && !isFinal)
        {
            return null;
        }

        if (!hasPreamble && meta.Count == 0 && !LooksLikeDataset(span[position..]))
        {
            if (!isFinal && span.Length - position < 8)
                return null;
            throw new DicomFormatException(DicomFormatError.NotDicom, "neither a DICOM file nor a dataset", 0);
        }

        var syntax = TransferSyntaxFromMeta(meta) ?? DetectSyntax(span[position..]);
        var readAsDeclared = true;
        if (syntax.IsExplicitVR && !syntax.IsDeflated && !HasExplicitVR(span[position..]))
        {
            readAsDeclared = false;
            // The meta group says explicit VR but the first element has no VR: some writers get the
            // meta wrong. Read the dataset as implicit VR little endian, as pydicom does.
            syntax = DicomTransferSyntax.ImplicitVRLittleEndian with { Uid = syntax.Uid, IsEncapsulated = syntax.IsEncapsulated };
        }
        var builder = new DatasetBuilder();
        ParseStatus status;
        if (syntax.IsDeflated)
        {
            if (!isFinal)
                return null;
            var inflated = Inflate(data[position..], options.MaxInflatedBytes);
            status = new DicomParser(inflated, true, 0, options, builder).ParseDataset(0, explicitVR: true, bigEndian: false);
        }
        else
        {
            status = new DicomParser(data, isFinal, 0, options, builder).ParseDataset(position, syntax.IsExplicitVR, syntax.IsBigEndian);
        }

        if (status == ParseStatus.NeedMoreData)
            return null;
        return new DicomFile(meta, builder.Dataset, syntax)
        {
            HasPreamble = hasPreamble,
            // In a deflated file the pixel data has no offset of its own (it sits inside the compressed stream).
            PixelDataOffset = syntax.IsDeflated ? null : builder.PixelDataOffset,
            DatasetOffset = readAsDeclared ? position : null,
            IsPartial = status == ParseStatus.Stopped,
        };
    }

    private static DicomTransferSyntax? TransferSyntaxFromMeta(DicomDataset meta)
    {
        if (!meta.TryGetElement(DicomTags.TransferSyntaxUID, out var element))
            return null;
        var uid = System.Text.Encoding.ASCII.GetString(element.RawValue.Span).Trim(' ', '\0');
        return uid.Length == 0 ? null : DicomTransferSyntax.FromUid(uid);
    }

    // A bare dataset starts with an element of a low group: little endian if the group reads small
    // that way, big endian otherwise; explicit if the next two bytes are a known VR.
    private static DicomTransferSyntax DetectSyntax(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8)
            return DicomTransferSyntax.ExplicitVRLittleEndian;
        var groupLE = BinaryPrimitives.ReadUInt16LittleEndian(data);
        var groupBE = BinaryPrimitives.ReadUInt16BigEndian(data);
        var bigEndian = groupBE < groupLE && groupBE <= 0x0008;
        var explicitVR = DicomVR.TryParse([(char)data[4], (char)data[5]], out _);
        if (bigEndian)
            return DicomTransferSyntax.ExplicitVRBigEndian;
        return explicitVR ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.ImplicitVRLittleEndian;
    }

    private static bool HasExplicitVR(ReadOnlySpan<byte> data) =>
        data.Length < 8 || DicomVR.TryParse([(char)data[4], (char)data[5]], out _);

    private static bool LooksLikeDataset(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8)
            return false;
        var group = Math.Min(BinaryPrimitives.ReadUInt16LittleEndian(data), BinaryPrimitives.ReadUInt16BigEndian(data));
        return group is >= 0x0002 and <= 0x0010;
    }

    private static byte[] Inflate(ReadOnlyMemory<byte> compressed, long maxBytes)
    {
        try
        {
            using var input = new MemoryStream(compressed.ToArray(), writable: false);
            using var deflate = new DeflateStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = deflate.Read(chunk)) > 0)
            {
                if (output.Length + read > maxBytes)
                    throw new DicomFormatException(DicomFormatError.TooLarge, $"deflated dataset inflates beyond {maxBytes} bytes");
                output.Write(chunk, 0, read);
            }

            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new DicomFormatException(DicomFormatError.BadDeflate, $"deflated dataset is corrupt: {ex.Message}") ;
        }
    }
}
