using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;

namespace DicomScript.Scripting.Tests.Support;

/// <summary>Distinct small instances for tests that need many: copies of pydicom's CT_small.dcm (or another corpus file), each with its own SOPInstanceUID.</summary>
internal static class SampleInstances
{
    public static string CtSmall
    {
        get
        {
            PydicomCorpus.Require();
            return PydicomCorpus.FullPath("test_files/CT_small.dcm");
        }
    }

    /// <summary>A file of pydicom's test_files as it is (<paramref name="name"/>: "CT_small.dcm").</summary>
    public static byte[] Original(string name)
    {
        PydicomCorpus.Require();
        return File.ReadAllBytes(PydicomCorpus.FullPath("test_files/" + name));
    }

    /// <summary>Copy number <paramref name="number"/> of <paramref name="corpusFile"/> (CT_small.dcm by default) as a Part-10 file.</summary>
    public static byte[] Copy(int number, string? corpusFile = null)
    {
        PydicomCorpus.Require();
        return DicomWriter.ToBytes(PydicomCorpus.CopyWithSopInstanceUid(corpusFile ?? "test_files/CT_small.dcm", $"1.2.826.0.1.3680043.10.1138.{number}"));
    }
}
