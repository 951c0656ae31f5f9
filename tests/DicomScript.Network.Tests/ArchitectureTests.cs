using System.Xml.Linq;
using NUnit.Framework;

namespace DicomScript.Network.Tests;

/// <summary>The one-way dependency rule of DESIGN.md, read from the project files.</summary>
[TestFixture]
public class ArchitectureTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["DicomScript.Dicom"] = [],
        ["DicomScript.Network"] = ["DicomScript.Dicom"],
        ["DicomScript.Storage"] = ["DicomScript.Dicom"],
        ["DicomScript.Server"] = ["DicomScript.Dicom", "DicomScript.Network", "DicomScript.Storage"],
    };

    private static readonly string[] ForbiddenPackages = ["fo-dicom", "MoonSharp", "KeraLua", "Microsoft.AspNetCore"];

    [TestCaseSource(nameof(Projects))]
    public void Project_ReferencesOnlyWhatTheLayeringAllows(string project)
    {
        var document = XDocument.Load(ProjectFile(project));
        var references = document.Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToList();
        Assert.That(references, Is.SubsetOf(Allowed[project]));
        var packages = document.Descendants("PackageReference").Select(r => r.Attribute("Include")!.Value).ToList();
        Assert.That(packages.Where(p => ForbiddenPackages.Any(f => p.StartsWith(f, StringComparison.OrdinalIgnoreCase))), Is.Empty);
    }

    public static IEnumerable<string> Projects() => Allowed.Keys;

    private static string ProjectFile(string project)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", project, project + ".csproj");
            if (File.Exists(candidate))
                return candidate;
        }

        throw new FileNotFoundException(project);
    }
}
