using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using DicomScript.Storage.Identifiers;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// <c>POST /instances</c> bodies: with <c>Content-Encoding: gzip</c>, as Orthanc peers send with
/// "Compress": true; of announced length, read into arrays from a pool, or chunked; ZIP archives.
/// </summary>
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

    // A body, or a ZIP archive's file, goes into an array from a shared pool, which goes back after
    // the store unless the file is kept for the next reader (as when a script is loaded): a kept file
    // must not be overwritten by the uploads after it, nor a stored file be torn.
    [TestCase(true)]
    [TestCase(false)]
    public async Task ManyUploads_AnnouncedChunkedAndZipped_KeptFilesAndStoredFilesIntact(bool keepForNextReader)
    {
        PydicomCorpus.Require();
        await using var archive = await RestArchive.StartAsync();
        archive.Archive.Ingest.RecentlyStored.Enabled = keepForNextReader;
        var copies = Enumerable.Range(0, 14)
            .Select(i => PydicomCorpus.CopyWithSopInstanceUid("test_files/CT_small.dcm", $"1.2.826.0.1.3680043.8.498.78.{i}")).ToList();
        byte[] Copy(int i) => DicomWriter.ToBytes(copies[i]);
        var expected = copies.ToDictionary(copy => OrthancIdentifiers.FromDataset(copy.Dataset).InstanceHash, copy => copy.Dataset.GetString(DicomTags.SOPInstanceUID));

        var ids = new HashSet<string>();
        async Task UploadAsync(HttpContent content)
        {
            using var response = await archive.Http.PostAsync("instances", content);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            foreach (var one in answer is JsonArray many ? many : new JsonArray(answer.DeepClone()))
                ids.Add(one!["ID"]!.GetValue<string>());
        }

        for (var i = 0; i < 6; i++)
        {
            using var announced = new ByteArrayContent(Copy(i));
            await UploadAsync(announced);
        }

        for (var i = 6; i < 9; i++)
        {
            using var chunked = new StreamContent(new UnseekableStream(Copy(i))); // no Content-Length
            await UploadAsync(chunked);
        }

        using (var zipped = new MemoryStream())
        {
            using (var zip = new ZipArchive(zipped, ZipArchiveMode.Create, leaveOpen: true))
            {
                for (var i = 9; i < 14; i++)
                {
                    await using var entry = await zip.CreateEntry($"{i}.dcm").OpenAsync();
                    await entry.WriteAsync(Copy(i));
                }
            }

            using var content = new ByteArrayContent(zipped.ToArray());
            await UploadAsync(content);
        }

        Assert.That(ids, Is.EquivalentTo(expected.Keys));
        foreach (var (id, uid) in expected)
        {
            var uuid = archive.Archive.Index.GetDicomFile(id)!.Uuid;
            Assert.That(DicomFile.Parse(archive.Archive.Storage.Read(uuid)).Dataset.GetString(DicomTags.SOPInstanceUID), Is.EqualTo(uid));
            var kept = archive.Archive.Ingest.RecentlyStored.Take(uuid);
            if (keepForNextReader)
                Assert.That(kept?.File.Dataset.GetString(DicomTags.SOPInstanceUID), Is.EqualTo(uid), "the kept file is still this instance's");
            else
                Assert.That(kept, Is.Null);
        }
    }

    // A stream whose length HttpClient cannot know, so it sends the body chunked.
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
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
