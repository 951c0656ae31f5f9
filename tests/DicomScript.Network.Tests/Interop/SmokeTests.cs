using DicomScript.Dicom.Tests.Support;
using DicomScript.Network.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Network.Tests.Interop;

[TestFixture]
public class SmokeTests
{
    [Test]
    public async Task Echoscu_OurServer_Succeeds()
    {
        var echoscu = ExternalTools.Require("echoscu", "dcmtk");
        await using var server = new TestServer();
        var (exit, output, error) = ExternalTools.Run(echoscu, ["-aec", TestServer.AETitle, "127.0.0.1", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.That(exit, Is.Zero, output + error);
    }
}
