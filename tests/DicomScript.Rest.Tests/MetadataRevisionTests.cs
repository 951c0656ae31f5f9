using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DicomScript.Rest.Tests.Support;
using DicomScript.Storage.Index;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// Metadata revisions over HTTP: each write is a new revision named in the ETag; If-None-Match
/// and If-Match compare with it; with CheckRevisions a writer must name the revision it read.
/// (Orthanc 1.10.1's SQLite index cannot keep revisions, so these are checked against the contract, not against it.)
/// </summary>
[TestFixture]
public class MetadataRevisionTests
{
    private static string ETag(long revision, string value) => $"\"{revision}-{MetadataRevision.Md5Of(value)}\"";

    [Test]
    public async Task Revisions_CountEachWrite_AndGuardReadsAndWrites()
    {
        await using var archive = await RestArchive.StartAsync(new JsonObject { ["UserMetadata"] = new JsonObject { ["Sample"] = 1024 } });
        var url = $"instances/{await UploadAsync(archive)}/metadata/Sample";

        Assert.That(await SendAsync(archive, HttpMethod.Put, url, "a"), Is.EqualTo((HttpStatusCode.OK, ETag(0, "a"))));
        Assert.That(await SendAsync(archive, HttpMethod.Put, url, "b"), Is.EqualTo((HttpStatusCode.OK, ETag(1, "b"))));
        Assert.That(await SendAsync(archive, HttpMethod.Get, url), Is.EqualTo((HttpStatusCode.OK, ETag(1, "b"))));
        Assert.That((await SendAsync(archive, HttpMethod.Get, url, header: ("If-None-Match", ETag(1, "b")))).Status, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That((await SendAsync(archive, HttpMethod.Get, url, header: ("If-None-Match", ETag(0, "a")))).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await SendAsync(archive, HttpMethod.Put, url, "c", ("If-Match", ETag(0, "a")))).Status, Is.EqualTo(HttpStatusCode.Conflict), "a stale revision");
        Assert.That(await SendAsync(archive, HttpMethod.Put, url, "c", ("If-Match", ETag(1, "b"))), Is.EqualTo((HttpStatusCode.OK, ETag(2, "c"))));
        Assert.That((await SendAsync(archive, HttpMethod.Delete, url, header: ("If-Match", ETag(1, "b")))).Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await SendAsync(archive, HttpMethod.Delete, url, header: ("If-Match", ETag(2, "c")))).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await SendAsync(archive, HttpMethod.Put, url, "d")).ETag, Is.EqualTo(ETag(0, "d")), "a deleted value starts again at 0");
    }

    [Test]
    public async Task CheckRevisions_WriterMustNameTheRevisionItRead()
    {
        await using var archive = await RestArchive.StartAsync(new JsonObject { ["CheckRevisions"] = true });
        var url = $"instances/{await UploadAsync(archive)}/metadata/2000";

        Assert.That((await SendAsync(archive, HttpMethod.Put, url, "first")).Status, Is.EqualTo(HttpStatusCode.OK), "creating needs no revision");
        Assert.That((await SendAsync(archive, HttpMethod.Put, url, "second")).Status, Is.EqualTo(HttpStatusCode.Conflict), "overwriting does");
        Assert.That((await SendAsync(archive, HttpMethod.Put, url, "second", ("If-Match", ETag(0, "first")))).Status, Is.EqualTo(HttpStatusCode.OK));
        using var delete = await archive.Http.DeleteAsync(url);
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await delete.Content.ReadAsStringAsync(), Does.Contain("If-Match"), "the error says what is missing");
        Assert.That((await SendAsync(archive, HttpMethod.Delete, url, header: ("If-Match", ETag(1, "second")))).Status, Is.EqualTo(HttpStatusCode.OK));
    }

    private static async Task<string> UploadAsync(RestArchive archive)
    {
        Dicom.Tests.Support.PydicomCorpus.Require();
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(Dicom.Tests.Support.PydicomCorpus.FullPath("test_files/CT_small.dcm")));
        using var response = await archive.Http.PostAsync("instances", content);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["ID"]!.GetValue<string>();
    }

    private static async Task<(HttpStatusCode Status, string? ETag)> SendAsync(RestArchive archive, HttpMethod method, string url, string? body = null,
        (string Name, string Value)? header = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "text/plain");
        if (header is { } h)
            request.Headers.TryAddWithoutValidation(h.Name, h.Value);
        using var response = await archive.Http.SendAsync(request);
        return (response.StatusCode, response.Headers.ETag?.ToString());
    }
}
