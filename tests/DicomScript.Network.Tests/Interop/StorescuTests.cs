using System.Globalization;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using DicomScript.Network.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Network.Tests.Interop;

/// <summary>dcmtk's storescu sends each corpus file to our SCP, with each way of proposing transfer syntaxes.</summary>
[TestFixture]
[NonParallelizable]
public class StorescuTests
{
    private TestServer? _server;

    [OneTimeSetUp]
    public void Start() => _server = new TestServer();

    [OneTimeTearDown]
    public async Task Stop() => await _server!.DisposeAsync();

    /// <summary>
    /// (file, storescu options). -R proposes only what the file needs (dcmtk's default list lacks newer
    /// SOP classes); compressed files need the option that proposes their syntax; uncompressed ones
    /// are sent with each way of proposing uncompressed syntaxes, plus dcmtk's default proposal for
    /// the SOP classes it always proposes.
    /// </summary>
    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var file in SendableFiles())
        {
            var header = DicomFile.OpenHeader(PydicomCorpus.FullPath(file));
            var optionSets = new List<string[]>();
            if (header.TransferSyntax.IsEncapsulated)
            {
                if (CodecOption.TryGetValue(header.TransferSyntax.Uid, out var codec))
                    optionSets.Add(["-R", codec]);
            }
            else
            {
                optionSets.AddRange([["-R"], ["-R", "-xi"], ["-R", "-xe"], ["-R", "-xb"], ["-R", "-xd"], ["-R", "-xs"]]);
                if (header.Dataset.GetString(DicomTags.SOPClassUID) is "1.2.840.10008.5.1.4.1.1.2" or "1.2.840.10008.5.1.4.1.1.4" or "1.2.840.10008.5.1.4.1.1.7")
                    optionSets.Add([]);
            }

            foreach (var options in optionSets)
                yield return new TestCaseData(file, string.Join(' ', options)).SetArgDisplayNames(file, options.Length == 0 ? "default" : string.Join(' ', options));
        }
    }

    // storescu's option that proposes a compressed file's own syntax.
    private static readonly Dictionary<string, string> CodecOption = new()
    {
        ["1.2.840.10008.1.2.4.50"] = "-xy",
        ["1.2.840.10008.1.2.4.51"] = "-xx",
        ["1.2.840.10008.1.2.4.70"] = "-xs",
        ["1.2.840.10008.1.2.4.80"] = "-xt",
        ["1.2.840.10008.1.2.4.81"] = "-xu",
        ["1.2.840.10008.1.2.4.90"] = "-xv",
        ["1.2.840.10008.1.2.4.91"] = "-xw",
        ["1.2.840.10008.1.2.5"] = "-xr",
    };

    // Storable instances: they have a SOP class and instance UID (DICOMDIRs and bare test datasets do not).
    private static IEnumerable<string> SendableFiles()
    {
        if (!Directory.Exists(PydicomCorpus.TestFiles))
            return ["(pydicom corpus not installed)"];
        return PydicomCorpus.ValidFiles().Where(f => !PydicomCorpus.DcmdumpCannotRead.Contains(f)).Where(f =>
        {
            var dataset = DicomFile.OpenHeader(PydicomCorpus.FullPath(f)).Dataset;
            return dataset.GetString(DicomTags.SOPInstanceUID) is { Length: > 0 }
                   && Dicom.Uids.DicomUids.IsStorageSopClass(dataset.GetString(DicomTags.SOPClassUID) ?? "");
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void Storescu_CorpusFile_ArrivesIntact(string file, string option)
    {
        PydicomCorpus.Require();
        var storescu = ExternalTools.Require("storescu", "dcmtk");
        var path = PydicomCorpus.FullPath(file);
        var original = DicomFile.Open(path);
        var instanceUid = original.Dataset.GetString(DicomTags.SOPInstanceUID)!;
        _server!.Stored.Clear();

        string[] args = [.. option.Split(' ', StringSplitOptions.RemoveEmptyEntries), "-aet", "STORESCU", "-aec", TestServer.AETitle, "127.0.0.1",
            _server.Port.ToString(CultureInfo.InvariantCulture), path];
        var (exit, output, error) = ExternalTools.Run(storescu, args);
        Assert.That(exit, Is.Zero, $"storescu {string.Join(' ', args)}: {output}{error}");
        Assert.That(_server.Stored.TryGetValue(instanceUid, out var received), Is.True, "nothing stored");
        Assert.That(received.Request.Caller.CallingAETitle, Is.EqualTo("STORESCU"));

        // storescu converts only when it must: an implicit-only or deflated-only proposal forces it.
        if (option.Contains("-xi", StringComparison.Ordinal))
            Assert.That(received.Syntax.Uid, Is.EqualTo(DicomTransferSyntax.ImplicitVRLittleEndian.Uid));
        else if (option.Contains("-xd", StringComparison.Ordinal) && !original.TransferSyntax.IsDeflated)
            Assert.That(received.Syntax.Uid, Is.AnyOf(DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid, original.TransferSyntax.Uid));
        else if (original.TransferSyntax.IsEncapsulated)
            Assert.That(received.Syntax.Uid, Is.EqualTo(original.TransferSyntax.Uid));

        // dcmtk drops the trailing padding element (FFFC,FFFC) when it sends: it is not content.
        var expected = original.Dataset.Clone();
        expected.Remove(DicomTags.DataSetTrailingPadding);
        var compareVRs = original.TransferSyntax.IsExplicitVR && received.Syntax.IsExplicitVR;
        Assert.That(DatasetComparer.Differences(expected, received.Dataset, compareVRs), Is.Empty);
    }
}
