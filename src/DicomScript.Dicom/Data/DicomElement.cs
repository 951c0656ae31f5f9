namespace DicomScript.Dicom.Data;

/// <summary>
/// A leaf element. The value stays as the encoded bytes (usually a slice of the buffer the file was
/// read into, never copied); it is decoded only when asked for, with the byte order it was read in.
/// </summary>
public sealed class DicomElement : DicomItem
{
    public DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> rawValue, bool isBigEndian = false)
        : base(tag, vr)
    {
        RawValue = rawValue;
        IsBigEndian = isBigEndian;
    }

    /// <summary>The encoded value, padding included, in <see cref="IsBigEndian"/> byte order.</summary>
    public ReadOnlyMemory<byte> RawValue { get; }

    /// <summary>True when binary numbers of <see cref="RawValue"/> are big-endian (read from Explicit VR Big Endian).</summary>
    public bool IsBigEndian { get; }

    /// <summary>Length of the encoded value in bytes.</summary>
    public int Length => RawValue.Length;

    /// <summary>The value as little-endian bytes (a copy only when the stored order is big-endian).</summary>
    public ReadOnlyMemory<byte> GetLittleEndianBytes() =>
        IsBigEndian && VR.ValueSize > 1 ? ByteOrder.Swapped(RawValue.Span, SwapUnit(VR)) : RawValue;

    /// <summary>The unit in which a value of this VR is byte-swapped (AT swaps each 16-bit half).</summary>
    internal static int SwapUnit(DicomVR vr) => vr == DicomVR.AT ? 2 : vr.ValueSize;
}
