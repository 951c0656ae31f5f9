using System.Buffers.Binary;
using System.Globalization;

namespace DicomScript.Dicom.Data;

/// <summary>Formats the values of binary numeric VRs (little-endian bytes) as invariant strings.</summary>
public static class BinaryValues
{
    /// <summary>
    /// One string per whole value: integers in decimal, floats in the shortest form that reads back
    /// to the same number, AT as <c>gggg,eeee</c>. A trailing partial value is ignored.
    /// </summary>
    public static string[] Format(ReadOnlySpan<byte> littleEndian, DicomVR vr)
    {
        var size = vr.ValueSize;
        if (size == 0)
            return [];
        var count = littleEndian.Length / size;
        var values = new string[count];
        for (var i = 0; i < count; i++)
            values[i] = FormatOne(littleEndian.Slice(i * size, size), vr);
        return values;
    }

    private static string FormatOne(ReadOnlySpan<byte> b, DicomVR vr)
    {
        var c = CultureInfo.InvariantCulture;
        if (vr == DicomVR.US)
            return BinaryPrimitives.ReadUInt16LittleEndian(b).ToString(c);
        if (vr == DicomVR.SS)
            return BinaryPrimitives.ReadInt16LittleEndian(b).ToString(c);
        if (vr == DicomVR.UL)
            return BinaryPrimitives.ReadUInt32LittleEndian(b).ToString(c);
        if (vr == DicomVR.SL)
            return BinaryPrimitives.ReadInt32LittleEndian(b).ToString(c);
        if (vr == DicomVR.UV)
            return BinaryPrimitives.ReadUInt64LittleEndian(b).ToString(c);
        if (vr == DicomVR.SV)
            return BinaryPrimitives.ReadInt64LittleEndian(b).ToString(c);
        if (vr == DicomVR.FL)
            return BinaryPrimitives.ReadSingleLittleEndian(b).ToString("R", c);
        if (vr == DicomVR.FD)
            return BinaryPrimitives.ReadDoubleLittleEndian(b).ToString("R", c);
        if (vr == DicomVR.AT)
            return new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(b), BinaryPrimitives.ReadUInt16LittleEndian(b[2..])).ToString();
        return Convert.ToHexString(b);
    }
}
