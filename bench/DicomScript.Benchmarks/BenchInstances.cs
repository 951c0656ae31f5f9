using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;

namespace DicomScript.Benchmarks;

/// <summary>Generated inputs: copies of a corpus file with new UIDs, spread over patients and studies.</summary>
internal static class BenchInstances
{
    /// <summary>
    /// <paramref name="count"/> copies of <paramref name="source"/>, <paramref name="perStudy"/>
    /// instances per study (one series each) and <paramref name="studiesPerPatient"/> studies per
    /// patient; with <paramref name="pixelSize"/>, square 16-bit pixel data of that size.
    /// </summary>
    public static List<string> Generate(string folder, string source, int count, int? pixelSize = null, int perStudy = 1_000_000, int studiesPerPatient = 1)
    {
        Directory.CreateDirectory(folder);
        var template = DicomFile.Open(TestData.File(source));
        if (pixelSize is { } n)
        {
            template.Dataset.AddUInt16(DicomTags.Rows, (ushort)n).AddUInt16(DicomTags.Columns, (ushort)n);
            var pixels = new byte[n * n * 2];
            new Random(7).NextBytes(pixels);
            template.Dataset.AddBytes(DicomTags.PixelData, DicomVR.OW, pixels);
        }

        var run = Environment.TickCount64 % 100000;
        var files = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var study = i / perStudy;
            var patient = study / studiesPerPatient;
            var uid = $"2.25.{1000000 + i}.{run}";
            var dataset = template.Dataset;
            dataset.AddString(DicomTags.SOPInstanceUID, DicomVR.UI, uid);
            dataset.AddString(DicomTags.StudyInstanceUID, DicomVR.UI, $"2.25.7{study}.{run}");
            dataset.AddString(DicomTags.SeriesInstanceUID, DicomVR.UI, $"2.25.8{study}.{run}");
            dataset.AddString(DicomTags.PatientID, DicomVR.LO, $"P{patient:D6}");
            dataset.AddString(DicomTags.PatientName, DicomVR.PN, $"BENCH^PATIENT{patient:D6}");
            dataset.AddString(DicomTags.StudyDate, DicomVR.DA, $"2020{1 + study % 12:D2}{1 + study % 28:D2}");
            dataset.AddString(DicomTags.AccessionNumber, DicomVR.SH, $"A{study:D7}");
            dataset.AddString(DicomTags.InstanceNumber, DicomVR.IS, (1 + i % perStudy).ToString(System.Globalization.CultureInfo.InvariantCulture));
            template.Meta.AddString(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, uid);
            var path = Path.Combine(folder, $"{i:D5}.dcm");
            DicomWriter.WriteFile(path, template);
            files.Add(path);
        }

        return files;
    }
}
