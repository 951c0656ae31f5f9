using System.Globalization;
using System.Numerics;

namespace DicomScript.Dicom.Uids;

/// <summary>
/// New UIDs under the "2.25" root (PS3.5 B.2): a random 128-bit UUID written as one decimal
/// number. Needs no registered organisation root and never collides in practice.
/// </summary>
public static class NewUid
{
    public static string Generate()
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(bytes, bigEndian: true, out _);
        return "2.25." + new BigInteger(bytes, isUnsigned: true, isBigEndian: true).ToString(CultureInfo.InvariantCulture);
    }
}
