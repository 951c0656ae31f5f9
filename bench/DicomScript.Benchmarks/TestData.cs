namespace DicomScript.Benchmarks;

/// <summary>The benchmark inputs come from pydicom's corpus (Debian package python3-pydicom).</summary>
internal static class TestData
{
    private const string Folder = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    public static string File(string name)
    {
        var path = Path.Combine(Folder, name);
        if (!System.IO.File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: apt-get install python3-pydicom");
        return path;
    }
}
