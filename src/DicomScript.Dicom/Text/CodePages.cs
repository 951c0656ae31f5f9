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

    public static Encoding Get(int codePage)
    {
        _ = Registered.Value;
        return Encoding.GetEncoding(codePage);
    }
}
