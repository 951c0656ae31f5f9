using System.Globalization;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using NUnit.Framework;

namespace DicomScript.Dicom.Tests.Support;

/// <summary>dcmtk's findscu against a server on loopback whose AE title is ORTHANC: the answers, or its verbose log.</summary>
public static class FindScu
{
    /// <summary>
    /// The answers to <paramref name="query"/>: its first item is findscu's root option ("-S", "-P"),
    /// the others its keys ("PatientName=*", "StudyInstanceUID"). findscu must succeed. It calls as
    /// <paramref name="callingAet"/> (findscu's own FINDSCU by default).
    /// </summary>
    public static List<DicomDataset> Query(string findscu, int port, string[] query, string callingAet = "FINDSCU")
    {
        ArgumentNullException.ThrowIfNull(query);
        var folder = Directory.CreateTempSubdirectory("findscu-");
        try
        {
            List<string> arguments = [query[0], "-aet", callingAet, "-aec", "ORTHANC", "-X", "-od", folder.FullName];
            foreach (var key in query.Skip(1))
                arguments.AddRange(["-k", key]);
            arguments.AddRange(["127.0.0.1", port.ToString(CultureInfo.InvariantCulture)]);
            var (exit, output, error) = ExternalTools.Run(findscu, arguments);
            Assert.That(exit, Is.Zero, $"findscu on port {port}: {output}{error}");
            return [.. folder.GetFiles("rsp*.dcm").Select(f => DicomFile.Open(f.FullName).Dataset)];
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>findscu's verbose log of a study-root query with <paramref name="keys"/>: the responses and their statuses.</summary>
    public static string Log(string findscu, int port, string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var (_, output, error) = ExternalTools.Run(findscu, ["-v", "-S", "-aec", "ORTHANC", .. keys.SelectMany(k => new[] { "-k", k }),
            "127.0.0.1", port.ToString(CultureInfo.InvariantCulture)]);
        return output + error;
    }

    /// <summary>
    /// An answer as the "tag VR [value]" lines of its elements, to compare answers. Orthanc answers
    /// in Latin-1 and drops every character Latin-1 lacks; we answer in UTF-8 then (see the README),
    /// so the description drops those characters too. The character set itself is left out.
    /// </summary>
    public static string Describe(DicomDataset answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return string.Join("\n", answer.Where(e => e.Tag != DicomTags.SpecificCharacterSet).Select(e => e switch
        {
            DicomSequence sequence => $"{e.Tag} SQ {{{string.Join(" | ", sequence.Items.Select(Describe))}}}",
            _ => $"{e.Tag} {e.VR} [{InLatin1(string.Join('\\', answer.GetStrings(e.Tag)))}]",
        }));
    }

    private static string InLatin1(string value) => new([.. value.Where(c => c <= '\u00FF')]);
}
