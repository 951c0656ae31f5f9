using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Rest.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Rest.Tests;

/// <summary>
/// PUT and DELETE faked by clients that can only GET or POST do what the real method does (the
/// statuses are compared with Orthanc's in RestOracleTests).
/// </summary>
[TestFixture]
[NonParallelizable]
public class RequestFormsTests
{
    private static async Task<string> UploadPatientAsync(RestArchive archive)
    {
        PydicomCorpus.Require();
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(PydicomCorpus.FullPath("test_files/CT_small.dcm")));
        using var response = await archive.Http.PostAsync("instances", content);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["ParentPatient"]!.GetValue<string>();
    }

    [Test]
    public async Task GetWithMethodDelete_Deletes()
    {
        await using var archive = await RestArchive.StartAsync();
        var patient = await UploadPatientAsync(archive);

        using var response = await archive.Http.GetAsync($"patients/{patient}?_method=DELETE");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(archive.Archive.Index.Statistics().Patients, Is.Zero);
    }

    [Test]
    public async Task PostWithOverrideHeader_PutsAndDeletes()
    {
        await using var archive = await RestArchive.StartAsync();
        var patient = await UploadPatientAsync(archive);

        using var put = new HttpRequestMessage(HttpMethod.Post, $"patients/{patient}/protected") { Content = new StringContent("1") };
        put.Headers.Add("X-HTTP-Method-Override", "PUT");
        Assert.That((await archive.Http.SendAsync(put)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await archive.Http.GetStringAsync($"patients/{patient}/protected"), Is.EqualTo("1"));

        // Absolute, with empty segments ("//patients" alone would be read as a host name).
        using var delete = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{archive.Rest.Port}//patients//{patient}/");
        delete.Headers.Add("X-HTTP-Method-Override", "delete");
        Assert.That((await archive.Http.SendAsync(delete)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(archive.Archive.Index.Statistics().Patients, Is.Zero);
    }
}
