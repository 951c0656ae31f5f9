using BenchmarkDotNet.Attributes;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;

namespace DicomScript.Benchmarks;

/// <summary>
/// Parse cost of two typical instances, from memory (no disk I/O): a 512×512 16-bit CT (~520 KB,
/// built from pydicom's CT_small header with full-size pixel data) and a ~10 KB MR (pydicom's
/// MR_small). Header-only stops before the pixel data, as the ingest path will.
/// </summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private byte[] _ct512 = [];
    private byte[] _small = [];

    [GlobalSetup]
    public void Setup()
    {
        var ct = DicomFile.Open(TestData.File("CT_small.dcm"));
        ct.Dataset.AddUInt16(DicomTags.Rows, 512).AddUInt16(DicomTags.Columns, 512);
        var pixels = new byte[512 * 512 * 2];
        new Random(42).NextBytes(pixels);
        ct.Dataset.AddBytes(DicomTags.PixelData, DicomVR.OW, pixels);
        _ct512 = DicomWriter.ToBytes(ct);
        _small = File.ReadAllBytes(TestData.File("MR_small.dcm"));
    }

    [Benchmark]
    public DicomFile Ct512Header() => DicomFile.Parse(_ct512, DicomReadOptions.HeaderOnly);

    [Benchmark]
    public DicomFile Ct512Full() => DicomFile.Parse(_ct512);

    [Benchmark]
    public DicomFile Small10KbHeader() => DicomFile.Parse(_small, DicomReadOptions.HeaderOnly);

    [Benchmark]
    public DicomFile Small10KbFull() => DicomFile.Parse(_small);

    /// <summary>The simplified tags a Lua callback receives: header parse plus Orthanc JSON.</summary>
    [Benchmark]
    public byte[] Ct512SimplifiedJson() =>
        Dicom.Json.OrthancJsonWriter.ToUtf8(DicomFile.Parse(_ct512, DicomReadOptions.HeaderOnly).Dataset, Dicom.Json.OrthancTagFormat.Simplified, indented: false);
}
