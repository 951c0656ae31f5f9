using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary><c>POST /instances</c> with <c>Content-Encoding: gzip</c>, as Orthanc peers send with "Compress": true.</summary>
[TestFixture]
public class UploadEncodingTests
{
    [Test]
    public async Task GzipBody_IsStoredDecompressed()
    {
        PydicomCorpus.Require();
        await using var archive = await RestArchive.StartAsync();
        var original = await File.ReadAllBytesAsync(PydicomCorpus.FullPath("test_files/MR_small.dcm"));
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            await gzip.WriteAsync(original);
        using var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await archive.Http.PostAsync("instances", content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["ID"]!.GetValue<string>();
        Assert.That(await archive.Http.GetByteArrayAsync($"instances/{id}/file"), Is.EqualTo(original));
    }

    [Test]
    public async Task BrokenGzipBody_IsRefused_NothingStored()
    {
        await using var archive = await RestArchive.StartAsync();
        using var content = new ByteArrayContent([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await archive.Http.PostAsync("instances", content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["OrthancStatus"]!.GetValue<int>(), Is.EqualTo(15));
        Assert.That(await archive.Http.GetStringAsync("instances"), Does.Not.Contain("-"));
    }
}
