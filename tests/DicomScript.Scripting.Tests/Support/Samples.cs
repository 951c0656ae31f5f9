namespace DicomScript.Scripting.Tests.Support;

/// <summary>The sample scripts of the repository (<c>samples/lua</c>), as shipped.</summary>
internal static class Samples
{
    /// <summary>The sample named <paramref name="name"/>, as (file name, code) for <see cref="ScriptedArchive.StartAsync"/>.</summary>
    public static (string Name, string Code) Script(string name)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "DicomScript.sln")))
            folder = folder.Parent;
        if (folder is null)
            throw new InvalidOperationException("The repository (DicomScript.sln) is not above the test binaries");
        return (name, File.ReadAllText(Path.Combine(folder.FullName, "samples", "lua", name)));
    }
}
