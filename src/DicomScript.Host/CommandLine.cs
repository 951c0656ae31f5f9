using DicomScript.Dicom.Display;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Json;

namespace DicomScript.Host;

/// <summary>
/// The <c>dicomscript</c> command line: <c>dicomscript [CONFIG]</c> serves; <c>dump</c> and <c>json</c>
/// show what a file holds, as dcmdump would and as a Lua script's <c>tags</c> table will.
/// </summary>
internal static class CommandLine
{
    private const string Usage = """
        usage:
          dicomscript [CONFIG]                          run the server (CONFIG: orthanc.json or a folder of JSON files)
          dicomscript dump FILE [--all]                 list a DICOM file like dcmdump (--all: do not shorten long values)
          dicomscript json FILE [--simplify|--short|--dicomweb]
                                                        the file's tags as Orthanc's REST API shows them
        """;

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            return Task.FromResult(args switch
            {
                ["dump", var path, .. var rest] => Dump(path, rest, output),
                ["json", var path, .. var rest] => Json(path, rest, output, error),
                ["-h" or "--help" or "help"] => Help(output),
                [var first, ..] when first.StartsWith('-') || first is "dump" or "json" => Fail(error, Usage),
                _ => Serve(args, error),
            });
        }
        catch (DicomFormatException ex)
        {
            error.WriteLine($"dicomscript: {args.ElementAtOrDefault(1)}: not readable DICOM: {ex.Message}");
            return Task.FromResult(2);
        }
        catch (IOException ex)
        {
            error.WriteLine($"dicomscript: {ex.Message}");
            return Task.FromResult(2);
        }
        catch (UnauthorizedAccessException ex)
        {
            error.WriteLine($"dicomscript: {ex.Message}");
            return Task.FromResult(2);
        }
    }

    private static int Dump(string path, string[] options, TextWriter output)
    {
        var file = DicomFile.Open(path);
        output.Write(DicomDumper.Dump(file, options.Contains("--all") ? 0 : 64));
        return 0;
    }

    private static int Json(string path, string[] options, TextWriter output, TextWriter error)
    {
        var dataset = DicomFile.Open(path).Dataset;
        switch (options)
        {
            case []:
                output.WriteLine(OrthancJsonWriter.ToJson(dataset, OrthancTagFormat.Full));
                return 0;
            case ["--simplify"]:
                output.WriteLine(OrthancJsonWriter.ToJson(dataset, OrthancTagFormat.Simplified));
                return 0;
            case ["--short"]:
                output.WriteLine(OrthancJsonWriter.ToJson(dataset, OrthancTagFormat.Short));
                return 0;
            case ["--dicomweb"]:
                output.WriteLine(DicomJsonModelWriter.ToJson(dataset));
                return 0;
            default:
                return Fail(error, Usage);
        }
    }

    private static int Serve(string[] args, TextWriter error)
    {
        _ = args;
        return Fail(error, "dicomscript: the DICOM and HTTP server is not built yet (see the open server-core issue); use 'dump' or 'json'.");
    }

    private static int Help(TextWriter output)
    {
        output.WriteLine(Usage);
        return 0;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine(message);
        return 2;
    }
}
