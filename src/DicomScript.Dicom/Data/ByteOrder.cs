namespace DicomScript.Dicom.Data;

/// <summary>Byte swapping between the little- and big-endian transfer syntaxes.</summary>
internal static class ByteOrder
{
    /// <summary>A copy of <paramref name="source"/> with every <paramref name="unit"/>-byte word reversed.</summary>
    public static byte[] Swapped(ReadOnlySpan<byte> source, int unit)
    {
        var copy = source.ToArray();
        SwapInPlace(copy, unit);
        return copy;
    }

    /// <summary>Reverses each whole <paramref name="unit"/>-byte word; a trailing partial word is left as is.</summary>
    public static void SwapInPlace(Span<byte> data, int unit)
    {
        if (unit <= 1)
            return;
        var whole = data.Length - (data.Length % unit);
        for (var i = 0; i < whole; i += unit)
            data.Slice(i, unit).Reverse();
    }
}
