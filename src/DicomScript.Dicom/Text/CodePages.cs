using System.Text;

namespace DicomScript.Dicom.Text;

/// <summary>
/// Gets .NET encodings by code page, registering the code-pages provider first. (Static field
/// initializers run before a static constructor's body, so registering there is too late.)
/// </summary>
internal static class CodePages
{
    private static readonly Lazy<bool> Registered = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return true;
    });

    /// <summary>
    /// The encoding for a code page. Bytes it cannot decode are dropped, not turned into U+FFFD, as
    /// Orthanc does: resource IDs hash decoded text, so they must match Orthanc's on odd bytes too.
    /// </summary>
    public static Encoding Get(int codePage)
    {
        _ = Registered.Value;
        return Encoding.GetEncoding(codePage, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback(""));
    }

    /// <summary>
    /// Removes the private-use characters that .NET's single-byte tables (ISO 8859-x, TIS-620) give
    /// bytes those standards leave undefined: like Orthanc (iconv), we drop such bytes.
    /// </summary>
    public static string DropUndefined(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uE000', '\uF8FF'))
            return text;
        return string.Concat(text.Where(c => c is < '\uE000' or > '\uF8FF'));
    }
}
