using System.Buffers.Binary;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;

namespace DicomScript.Dicom.IO;

/// <summary>How a parse ended.</summary>
public enum ParseStatus
{
    /// <summary>All the input was read.</summary>
    Complete,

    /// <summary>The input is a prefix of the data and ended inside an element: call again with more bytes.</summary>
    NeedMoreData,

    /// <summary>Stopped before <see cref="DicomReadOptions.StopAtTag"/>.</summary>
    Stopped,
}

/// <summary>
/// Reads a dataset encoding (no preamble or meta handling; see <see cref="DicomFileReader"/>) and
/// reports what it finds to an observer. Lenient where real data is odd (VR bytes that are not a
/// VR, odd lengths, trailing zero padding), strict where bytes would be invented: every declared
/// length is checked against the bytes that remain before anything is sliced or allocated.
/// </summary>
public sealed class DicomParser
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private const uint ItemTag = 0xFFFEE000;
    private const uint ItemDelimitationTag = 0xFFFEE00D;
    private const uint SequenceDelimitationTag = 0xFFFEE0DD;
    private const uint PixelDataTag = 0x7FE00010;
    private const uint PixelRepresentationTag = 0x00280103;

    private readonly ReadOnlyMemory<byte> _data;
    private readonly bool _isFinal;
    private readonly long _baseOffset;
    private readonly DicomReadOptions _options;
    private readonly IDicomReaderObserver _observer;

    // Private creators seen at each nesting depth: implicit-VR data needs them to find a private tag's VR.
    private readonly List<Dictionary<uint, string>?> _creators = [];

    // Pixel Representation = 1 (signed) seen at each depth: decides US or SS for implicit "xs" tags.
    private readonly List<bool> _signedPixels = [];

    /// <param name="data">The encoded dataset.</param>
    /// <param name="isFinal">False when <paramref name="data"/> may be only a prefix; running out of bytes then yields <see cref="ParseStatus.NeedMoreData"/>.</param>
    /// <param name="baseOffset">Offset of <paramref name="data"/>[0] in the file, for reported offsets.</param>
    /// <param name="options">Limits (sequence depth) and the stop tag.</param>
    /// <param name="observer">Receives the elements, sequences and fragments in encoding order.</param>
    public DicomParser(ReadOnlyMemory<byte> data, bool isFinal, long baseOffset, DicomReadOptions options, IDicomReaderObserver observer)
    {
        _data = data;
        _isFinal = isFinal;
        _baseOffset = baseOffset;
        _options = options;
        _observer = observer;
    }

    /// <summary>Where the parse stopped (with <see cref="ParseStatus.Stopped"/>) or ended.</summary>
    public int Position { get; private set; }

    /// <summary>Parses top-level elements from <paramref name="start"/> to the end of the data.</summary>
    public ParseStatus ParseDataset(int start, bool explicitVR, bool bigEndian)
    {
        var position = start;
        var status = ParseElements(ref position, _data.Length, itemHasUndefinedLength: false, explicitVR, bigEndian, depth: 0,
            _options.StopAtTag, onlyGroup: null);
        Position = position;
        return status;
    }

    /// <summary>
    /// Parses the whole input as the items of one sequence in implicit VR little endian: the value of
    /// a sequence that was sent as UN (CP-246).
    /// </summary>
    public ParseStatus ParseImplicitSequenceValue(DicomTag tag)
    {
        var position = 0;
        var status = ParseSequence(ref position, _data.Length, undefinedLength: false, tag, DicomVR.SQ, explicitVR: false, bigEndian: false, depth: 0);
        Position = position;
        return status;
    }

    /// <summary>Parses the top-level elements of one group (the file meta group) and stops at the first element of another.</summary>
    public ParseStatus ParseGroup(int start, ushort group)
    {
        var position = start;
        var status = ParseElements(ref position, _data.Length, itemHasUndefinedLength: false, explicitVR: true, bigEndian: false, depth: 0,
            stopAtTag: null, onlyGroup: group);
        Position = position;
        return status;
    }

    private ParseStatus ParseElements(ref int position, int end, bool itemHasUndefinedLength, bool explicitVR, bool bigEndian,
        int depth, DicomTag? stopAtTag, ushort? onlyGroup)
    {
        var span = _data.Span;
        while (true)
        {
            if (position >= end)
            {
                // An undefined-length item may lack its delimiter when the data ends right there (dcmtk
                // accepts that too): every element was read whole, only the delimiters are missing.
                if (itemHasUndefinedLength && !AtEndOfData(position))
                    return MissingBytes(position, "item without delimitation");
                return ParseStatus.Complete;
            }

            if (end - position < 8)
            {
                if (depth == 0 && _isFinal && IsZeroPadding(span[position..end]))
                {
                    position = end;
                    return ParseStatus.Complete;
                }

                return MissingBytes(position, "element header");
            }

            var tag = ReadTag(span, position, bigEndian);
            if (tag.Value == ItemDelimitationTag)
            {
                position += 8;
                if (itemHasUndefinedLength)
                    return ParseStatus.Complete;
                continue; // a stray delimiter: nothing to close, nothing lost
            }

            if (tag.Value == SequenceDelimitationTag && depth == 0)
            {
                position += 8;
                continue;
            }

            if (tag.Value is ItemTag or SequenceDelimitationTag)
                DicomFormatException.Throw(DicomFormatError.BadItemTag, $"unexpected {tag.ToDcmtkString()} inside a dataset", _baseOffset + position);

            if (depth == 0 && (stopAtTag is { } stop && tag >= stop || onlyGroup is { } group && tag.Group != group))
                return ParseStatus.Stopped;

            var elementStart = position;
            DicomVR vr;
            uint length;
            int headerLength;
            var vrIsExplicit = explicitVR && IsUpperLetter(span[position + 4]) && IsUpperLetter(span[position + 5]);
            if (vrIsExplicit)
            {
                vr = DicomVR.FromBytes(span[position + 4], span[position + 5]);
                if (vr.HasLongLength || !vr.IsKnown)
                {
                    if (end - position < 12)
                        return MissingBytes(position, "element header");
                    length = ReadUInt32(span, position + 8, bigEndian);
                    headerLength = 12;
                }
                else
                {
                    length = ReadUInt16(span, position + 6, bigEndian);
                    headerLength = 8;
                }

                if (!vr.IsKnown)
                    vr = DicomVR.UN;
            }
            else
            {
                // Implicit VR, or explicit-VR data whose VR bytes are not letters: some writers emit
                // implicit elements inside explicit files; read them as implicit rather than fail.
                vr = LookUpVR(tag, depth);
                length = ReadUInt32(span, position + 4, bigEndian);
                headerLength = 8;
            }

            position += headerLength;
            ParseStatus status;
            if (length == UndefinedLength)
            {
                if (vr == DicomVR.SQ || vr == DicomVR.UN && tag.Value != PixelDataTag)
                {
                    // CP-246: an undefined-length UN holds an implicit VR little endian sequence.
                    var contentExplicit = vr == DicomVR.SQ && explicitVR;
                    var contentBigEndian = vr == DicomVR.SQ && bigEndian;
                    status = ParseSequence(ref position, end, undefinedLength: true, tag, DicomVR.SQ, contentExplicit, contentBigEndian, depth);
                }
                else if (vr == DicomVR.OB || vr == DicomVR.OW || vr == DicomVR.UN)
                {
                    // Encapsulated data is OB whatever the header said (PS3.5 §A.4); dcmtk models it so too.
                    status = ParseFragments(ref position, end, tag, DicomVR.OB, bigEndian, elementStart);
                }
                else
                {
                    // Undefined length on a VR that cannot have one: read it as a sequence, the only
                    // structure an undefined length can delimit.
                    status = ParseSequence(ref position, end, undefinedLength: true, tag, DicomVR.SQ, explicitVR, bigEndian, depth);
                }

                if (status != ParseStatus.Complete)
                    return status;
                continue;
            }

            if (length > end - position)
            {
                if (!_isFinal && end == _data.Length)
                    return ParseStatus.NeedMoreData;
                DicomFormatException.Throw(DicomFormatError.LengthExceedsData,
                    $"{tag.ToDcmtkString()} declares {length} bytes but only {end - position} remain", _baseOffset + elementStart);
            }

            var valueEnd = position + (int)length;
            if (vr == DicomVR.SQ)
            {
                status = ParseSequence(ref position, valueEnd, undefinedLength: false, tag, vr, explicitVR, bigEndian, depth);
                if (status != ParseStatus.Complete)
                    return status;
                position = valueEnd;
                continue;
            }

            var value = _data.Slice(position, (int)length);
            if (!explicitVR && tag.IsPrivateCreator)
                RememberCreator(depth, tag, value.Span);
            if (!explicitVR && tag.Value == PixelRepresentationTag && length >= 2)
                RememberPixelRepresentation(depth, ReadUInt16(value.Span, 0, bigEndian));
            _observer.OnElement(tag, vr, value, bigEndian, _baseOffset + elementStart);
            position = valueEnd;
        }
    }

    private ParseStatus ParseSequence(ref int position, int end, bool undefinedLength, DicomTag tag, DicomVR vr,
        bool explicitVR, bool bigEndian, int depth)
    {
        if (depth + 1 > _options.MaxSequenceDepth)
            DicomFormatException.Throw(DicomFormatError.SequenceTooDeep, $"sequences nested deeper than {_options.MaxSequenceDepth}", _baseOffset + position);

        var span = _data.Span;
        _observer.OnBeginSequence(tag, vr);
        while (true)
        {
            if (!undefinedLength && position >= end)
                break;
            if (end - position < 8)
            {
                if (end - position == 0 && (!undefinedLength || AtEndOfData(position)))
                    break;
                return MissingBytes(position, "sequence item");
            }

            var itemTag = ReadTag(span, position, bigEndian).Value;
            var itemLength = ReadUInt32(span, position + 4, bigEndian);
            if (itemTag == SequenceDelimitationTag)
            {
                position += 8;
                if (undefinedLength)
                    break;
                continue; // stray delimiter in a defined-length sequence
            }

            if (itemTag != ItemTag)
                DicomFormatException.Throw(DicomFormatError.BadItemTag, $"expected an item in {tag.ToDcmtkString()}, found {new DicomTag(itemTag).ToDcmtkString()}", _baseOffset + position);

            position += 8;
            _observer.OnBeginItem();
            EnterDepth(depth + 1);
            ParseStatus status;
            if (itemLength == UndefinedLength)
            {
                status = ParseElements(ref position, end, itemHasUndefinedLength: true, explicitVR, bigEndian, depth + 1, null, null);
            }
            else
            {
                if (itemLength > end - position)
                {
                    if (!_isFinal && end == _data.Length)
                        return ParseStatus.NeedMoreData;

                    // An item that claims more bytes than the file holds is read to the end of the
                    // file when that is where the data ends (seen in real DICOMDIRs; dcmtk reads
                    // them); an element cut short inside it is still an error.
                    if (end != _data.Length)
                    {
                        DicomFormatException.Throw(DicomFormatError.LengthExceedsData,
                            $"item of {tag.ToDcmtkString()} declares {itemLength} bytes but only {end - position} remain", _baseOffset + position - 8);
                    }
                }

                var itemEnd = (int)Math.Min(end, position + (long)itemLength);
                status = ParseElements(ref position, itemEnd, itemHasUndefinedLength: false, explicitVR, bigEndian, depth + 1, null, null);
                position = itemEnd;
            }

            if (status != ParseStatus.Complete)
                return status;
            _observer.OnEndItem();
        }

        _observer.OnEndSequence();
        return ParseStatus.Complete;
    }

    private ParseStatus ParseFragments(ref int position, int end, DicomTag tag, DicomVR vr, bool bigEndian, int elementStart)
    {
        var span = _data.Span;
        _observer.OnBeginFragments(tag, vr, _baseOffset + elementStart);
        while (true)
        {
            if (end - position < 8)
                return MissingBytes(position, "fragment");
            var itemTag = ReadTag(span, position, bigEndian).Value;
            var length = ReadUInt32(span, position + 4, bigEndian);
            position += 8;
            if (itemTag == SequenceDelimitationTag)
                break;
            if (itemTag != ItemTag)
                DicomFormatException.Throw(DicomFormatError.BadItemTag, $"expected a fragment in {tag.ToDcmtkString()}, found {new DicomTag(itemTag).ToDcmtkString()}", _baseOffset + position - 8);
            if (length > end - position)
            {
                if (!_isFinal && end == _data.Length)
                    return ParseStatus.NeedMoreData;
                DicomFormatException.Throw(DicomFormatError.LengthExceedsData,
                    $"fragment of {tag.ToDcmtkString()} declares {length} bytes but only {end - position} remain", _baseOffset + position - 8);
            }

            _observer.OnFragment(_data.Slice(position, (int)length));
            position += (int)length;
        }

        _observer.OnEndFragments();
        return ParseStatus.Complete;
    }

    private bool AtEndOfData(int position) => _isFinal && position == _data.Length;

    private ParseStatus MissingBytes(int position, string what)
    {
        if (!_isFinal)
            return ParseStatus.NeedMoreData;
        DicomFormatException.Throw(DicomFormatError.Truncated, $"data ends inside {what}", _baseOffset + position);
        return default;
    }

    private DicomVR LookUpVR(DicomTag tag, int depth)
    {
        if (tag.IsGroupLength)
            return DicomVR.UL;
        if (tag.IsPrivate)
        {
            if (tag.IsPrivateCreator)
                return DicomVR.LO;
            var creators = depth < _creators.Count ? _creators[depth] : null;
            if (creators is not null && creators.TryGetValue(tag.PrivateCreatorTag.Value, out var creator))
                return DicomDictionary.FindPrivate(tag, creator)?.DefaultVR ?? DicomVR.UN;
            return DicomVR.UN;
        }

        var entry = DicomDictionary.Find(tag);
        if (entry is null)
            return DicomVR.UN;

        // "US or SS" tags (smallest/largest pixel value...) are signed when the pixels are: the
        // Pixel Representation read earlier in the same dataset decides, as dcmtk does.
        if (entry.DictionaryVR == "xs" && depth < _signedPixels.Count && _signedPixels[depth])
            return DicomVR.SS;
        return entry.DefaultVR;
    }

    private void EnterDepth(int depth)
    {
        // A new item starts with no private creators of its own.
        if (depth < _creators.Count)
            _creators[depth] = null;
        if (depth < _signedPixels.Count)
            _signedPixels[depth] = false;
    }

    private void RememberPixelRepresentation(int depth, ushort value)
    {
        while (_signedPixels.Count <= depth)
            _signedPixels.Add(false);
        _signedPixels[depth] = value == 1;
    }

    private void RememberCreator(int depth, DicomTag tag, ReadOnlySpan<byte> value)
    {
        while (_creators.Count <= depth)
            _creators.Add(null);
        (_creators[depth] ??= [])[tag.Value] = System.Text.Encoding.ASCII.GetString(value).Trim(' ', '\0');
    }

    private static bool IsUpperLetter(byte b) => b is >= (byte)'A' and <= (byte)'Z';

    private static bool IsZeroPadding(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExcept((byte)0);

    private static DicomTag ReadTag(ReadOnlySpan<byte> span, int position, bool bigEndian) =>
        new(ReadUInt16(span, position, bigEndian), ReadUInt16(span, position + 2, bigEndian));

    private static ushort ReadUInt16(ReadOnlySpan<byte> span, int position, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span[position..]) : BinaryPrimitives.ReadUInt16LittleEndian(span[position..]);

    private static uint ReadUInt32(ReadOnlySpan<byte> span, int position, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span[position..]) : BinaryPrimitives.ReadUInt32LittleEndian(span[position..]);
}
