using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// <c>POST /instances</c> with a ZIP archive against the real Orthanc 1.10.1: the same answers (one
/// per DICOM file, in the archive's order; a text file and a DICOMDIR skipped), the same instances
/// stored, and the same refusal of a damaged archive.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ZipUploadOracleTests
{
    private static readonly (string Entry, string? File)[] Entries =
    [
        ("study/", null),
        ("study/ct.dcm", "test_files/CT_small.dcm"),
        ("readme.txt", null),
        ("DICOMDIR", "test_files/dicomdirtests/DICOMDIR"),
        ("mr.dcm", "test_files/MR_small.dcm"),
        ("again/ct.dcm", "test_files/CT_small.dcm"),
    ];

    private static byte[] Archive()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, file) in Entries)
            {
                var entry = zip.CreateEntry(name);
                if (name.EndsWith('/'))
                    continue;
                using var stream = entry.Open();
                stream.Write(file is null ? "not DICOM"u8 : File.ReadAllBytes(PydicomCorpus.FullPath(file)));
            }
        }

        return buffer.ToArray();
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Answer)> PostAsync(HttpClient client, byte[] body)
    {
        using var response = await client.PostAsync("instances", new ByteArrayContent(body));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    [Test]
    public async Task ZipArchive_EachDicomFileStored_SameAnswersAsOrthanc()
    {
        PydicomCorpus.Require();
        using var orthanc = OrthancServer.Start();
        await using var ours = await RestArchive.StartAsync();
        var zip = Archive();
        var (status, answer) = await PostAsync(ours.Http, zip);
        var (theirStatus, theirAnswer) = await PostAsync(orthanc.Http, zip);
        Assert.That(status, Is.EqualTo(theirStatus).And.EqualTo(HttpStatusCode.OK));
        Assert.That(JsonDiff.Differences(answer, theirAnswer), Is.Empty);
        Assert.That(((JsonArray)answer!).Select(a => a!["Status"]!.GetValue<string>()), Is.EqualTo(new[] { "Success", "Success", "AlreadyStored" }));
        Assert.That(JsonDiff.Differences(JsonNode.Parse(await ours.Http.GetStringAsync("instances")), JsonNode.Parse(await orthanc.Http.GetStringAsync("instances"))),
            Is.Empty);
    }

    [Test]
    public async Task DamagedOrEmptyArchive_SameAnswerAsOrthanc()
    {
        using var orthanc = OrthancServer.Start();
        await using var ours = await RestArchive.StartAsync();
        using var empty = new MemoryStream();
        using (new ZipArchive(empty, ZipArchiveMode.Create, leaveOpen: true))
        {
        }

        foreach (var body in new[] { empty.ToArray(), [.. "PK\u0003\u0004"u8, .. new byte[40]] })
        {
            var (status, answer) = await PostAsync(ours.Http, body);
            var (theirStatus, theirAnswer) = await PostAsync(orthanc.Http, body);
            Assert.That(status, Is.EqualTo(theirStatus));
            Assert.That(JsonDiff.Differences(answer, theirAnswer, path => path is "/Details" or "/Message"), Is.Empty);
        }

        Assert.That(await ours.Http.GetStringAsync("instances"), Does.Not.Contain("-"), "nothing stored");
    }
}
