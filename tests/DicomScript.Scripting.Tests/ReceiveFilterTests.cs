using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Scripting.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Scripting.Tests;

/// <summary>
/// ReceivedInstanceFilter and ReceivedCStoreInstanceFilter, observed from HTTP and from storescu:
/// what is stored, what the sender is told.
/// </summary>
[TestFixture]
public sealed class ReceiveFilterTests
{
    private const string Filters = """
        seen = {}
        function ReceivedInstanceFilter(dicom, origin, info)
          table.insert(seen, origin.RequestOrigin .. ' ' .. tostring(info.HasPixelData) .. ' ' .. info.TransferSyntaxUID .. ' ' .. dicom.SOPInstanceUID)
          if dicom.PatientName == 'Discard^Me' then return false end
          if dicom.PatientName == 'Not^Boolean' then return 1 end
          if dicom.PatientName == 'Fail^Me' then error('filter broken') end
          return true
        end
        function ReceivedCStoreInstanceFilter(dicom, origin, info)
          if origin.RemoteAet == 'REFUSED' then return 0xA700 end
          if origin.RemoteAet == 'WEIRD' then return 'x' end
          return 0
        end
        """;

    private static byte[] WithPatientName(int number, string name)
    {
        var file = Dicom.IO.DicomFile.Parse(SampleInstances.Copy(number));
        file.Dataset.AddString(Dicom.Dictionary.DicomTags.PatientName, Dicom.Data.DicomVR.PN, name);
        return Dicom.IO.DicomWriter.ToBytes(file);
    }

    [Test]
    public async Task OverHttp_FalseIsFilteredOut_AnErrorOrANonBooleanIs500_AndNothingIsStored()
    {
        await using var server = await ScriptedArchive.StartAsync(null, ("filters.lua", Filters));

        var accepted = await server.PostInstanceAsync(WithPatientName(1, "Keep^Me"));
        var discarded = await server.PostInstanceAsync(WithPatientName(2, "Discard^Me"));
        var notBoolean = await server.PostInstanceAsync(WithPatientName(3, "Not^Boolean"));
        var failing = await server.PostInstanceAsync(WithPatientName(4, "Fail^Me"));

        Assert.That((accepted.Status, accepted.Body!["Status"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.OK, "Success")));
        Assert.That((discarded.Status, discarded.Body!["Status"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.OK, "FilteredOut")));
        Assert.That((notBoolean.Status, notBoolean.Body!["OrthancStatus"]!.GetValue<int>()), Is.EqualTo((HttpStatusCode.InternalServerError, 2034)));
        Assert.That((failing.Status, failing.Body!["OrthancStatus"]!.GetValue<int>()), Is.EqualTo((HttpStatusCode.InternalServerError, 2031)));
        Assert.That(failing.Body["Details"]!.GetValue<string>(), Is.EqualTo("filters.lua:6: filter broken"));
        Assert.That(await server.InstanceCountAsync(), Is.EqualTo(1));
        Assert.That(await server.OutputAsync("print(seen[1])"), Is.EqualTo("RestApi true 1.2.840.10008.1.2.1 1.2.826.0.1.3680043.10.1138.1\n"));
    }

    [Test]
    public async Task FromStorescu_TheSenderSeesTheStatusTheFiltersChose()
    {
        var storescu = ExternalTools.Require("storescu", "dcmtk");
        await using var server = await ScriptedArchive.StartAsync(new JsonObject { ["DicomServerEnabled"] = true, ["DicomPort"] = 0 }, ("filters.lua", Filters));
        var folder = Directory.CreateTempSubdirectory("filter-");
        try
        {
            string Send(string aet, int number, string name)
            {
                var path = Path.Combine(folder.FullName, $"{number}.dcm");
                File.WriteAllBytes(path, WithPatientName(number, name));
                var run = ExternalTools.Run(storescu, ["-v", "-aet", aet, "-aec", "ORTHANC", "127.0.0.1", server.Archive.DicomPort.ToString(CultureInfo.InvariantCulture), path]);
                return run.Output + run.Error;
            }

            var stored = Send("MODALITY", 1, "Keep^Me");
            var discardedByLua = Send("MODALITY", 2, "Discard^Me");
            var refused = Send("REFUSED", 3, "Keep^Me");
            var failing = Send("MODALITY", 4, "Fail^Me");
            var weird = Send("WEIRD", 5, "Keep^Me");

            Assert.That(stored, Does.Contain("Received Store Response (Success)"));
            Assert.That(discardedByLua, Does.Contain("Received Store Response (Success)"), "Orthanc answers Success for a filtered instance");
            Assert.That(refused, Does.Contain("Received Store Response (Refused: OutOfResources)"));
            Assert.That(failing, Does.Contain("Received Store Response (Refused: OutOfResources)"), "a failing filter refuses");
            Assert.That(weird, Does.Contain("Received Store Response (Refused: OutOfResources)"));
            Assert.That(await server.InstanceCountAsync(), Is.EqualTo(1));
            Assert.That(await server.OutputAsync("print(seen[1])"), Does.StartWith("DicomProtocol true "));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public async Task AFilterDefinedThroughExecuteScript_Applies()
    {
        await using var server = await ScriptedArchive.StartAsync();
        await server.OutputAsync("function ReceivedInstanceFilter(dicom) return dicom.PatientName ~= 'Discard^Me' end");

        var discarded = await server.PostInstanceAsync(WithPatientName(1, "Discard^Me"));

        // Orthanc defines it in its other Lua context, where it is never called.
        Assert.That(discarded.Body!["Status"]!.GetValue<string>(), Is.EqualTo("FilteredOut"));
    }
}
