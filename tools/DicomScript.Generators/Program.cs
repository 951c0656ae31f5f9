using DicomScript.Generators;

// Regenerates the committed tables from the installed dcmtk files.
// Usage: dotnet run --project tools/DicomScript.Generators [REPO_ROOT]
var root = args.Length > 0 ? args[0] : FindRepositoryRoot();
var dicomDic = File.ReadAllText(SourceFiles.DicomDic);
var privateDic = File.ReadAllText(SourceFiles.PrivateDic);
var uidHeader = File.ReadAllText(SourceFiles.UidHeader);

Write(SourceFiles.DictionaryOutput, DictionaryGenerator.GenerateDictionary(dicomDic, privateDic));
Write(SourceFiles.TagsOutput, DictionaryGenerator.GenerateTags(dicomDic));
Write(SourceFiles.UidsOutput, UidGenerator.Generate(uidHeader));
return 0;

void Write(string relativePath, string content)
{
    var path = Path.Combine(root, relativePath);
    File.WriteAllText(path, content);
    Console.WriteLine($"wrote {relativePath} ({content.Length} chars)");
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "DicomScript.sln")))
            return dir.FullName;
    }

    throw new InvalidOperationException("run from inside the repository or pass its root");
}
