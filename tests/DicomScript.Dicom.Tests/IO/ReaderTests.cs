using System.Buffers.Binary;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Tests.Support;
using NUnit.Framework;

namespace DicomScript.Dicom.Tests.IO;

[TestFixture]
public class ReaderTests
{
    [Test]
    public void OpenHeader_ImageFile_StopsBeforePixelDataWithSameHeader()
    {
        PydicomCorpus.Require();
        var path = PydicomCorpus.FullPath("test_files/CT_small.dcm");
        var header = DicomFile.OpenHeader(path);
        var full = DicomFile.Open(path);

        Assert.That(header.IsPartial, Is.True);
        Assert.That(header.Dataset.Contains(DicomTags.PixelData), Is.False);
        Assert.That(full.Dataset.Contains(DicomTags.PixelData), Is.True);
        var withoutPixels = new DicomDataset(full.Dataset.Where(i => i.Tag < DicomTags.PixelData));
        Assert.That(DatasetComparer.Differences(withoutPixels, header.Dataset, compareVRs: true), Is.Empty);
    }

    [Test]
    public void OpenHeader_HeaderLargerThanFirstRead_ReadsMoreUntilComplete()
    {
        // A header of ~200 KB (a long private OB before the pixel data) needs more than the first 64 KB read.
        var dataset = new DicomDataset()
            .AddString(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7")
            .AddString(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.4")
            .AddBytes(new DicomTag(0x0009, 0x1001), DicomVR.OB, new byte[200_000])
            .AddBytes(DicomTags.PixelData, DicomVR.OW, new byte[1_000_000]);
        var path = Path.GetTempFileName();
        try
        {
            DicomWriter.WriteFile(path, new DicomFile(new DicomDataset(), dataset, DicomTransferSyntax.ExplicitVRLittleEndian));
            var header = DicomFile.OpenHeader(path);
            Assert.That(header.Dataset.TryGetElement(new DicomTag(0x0009, 0x1001), out var big), Is.True);
            Assert.That(big.Length, Is.EqualTo(200_000));
            Assert.That(header.Dataset.Contains(DicomTags.PixelData), Is.False);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void DatasetOffset_WhereTheDatasetStarts()
    {
        PydicomCorpus.Require();
        var bytes = File.ReadAllBytes(PydicomCorpus.FullPath("test_files/CT_small.dcm"));
        var file = DicomFile.Parse(bytes);
        Assert.That(file.DatasetOffset, Is.Not.Null);
        var at = bytes.AsSpan((int)file.DatasetOffset!.Value);
        Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(at), Is.EqualTo(0x0008), "the first element of the dataset, just after the meta group");
        var alone = DicomFile.Parse(bytes.AsMemory((int)file.DatasetOffset.Value));
        Assert.That(alone.Meta.Count, Is.Zero, "nothing of the meta group is left");
        Assert.That(alone.Dataset.GetString(DicomTags.SOPInstanceUID), Is.EqualTo(file.Dataset.GetString(DicomTags.SOPInstanceUID)));
    }

    [Test]
    public void DatasetOffset_NullWhenTheDatasetIsNotEncodedAsTheMetaGroupSays()
    {
        // The meta group says explicit VR little endian; the dataset is implicit VR (PatientName "A^B ").
        byte[] meta = [0x02, 0x00, 0x10, 0x00, (byte)'U', (byte)'I', 20, 0, .. "1.2.840.10008.1.2.1\0"u8];
        byte[] dataset = [0x10, 0x00, 0x10, 0x00, 4, 0, 0, 0, .. "A^B "u8];
        byte[] bytes = [.. new byte[128], .. "DICM"u8, .. meta, .. dataset];

        var file = DicomFile.Parse(bytes);

        Assert.That(file.Dataset.GetString(DicomTags.PatientName), Is.EqualTo("A^B"), "read as implicit VR");
        Assert.That(file.DatasetOffset, Is.Null, "its bytes are not explicit VR: they cannot stand for the dataset in its declared syntax");
    }

    [Test]
    public void PixelDataOffset_PointsAtThePixelDataTag()
    {
        PydicomCorpus.Require();
        foreach (var name in new[] { "test_files/CT_small.dcm", "test_files/MR_small_bigendian.dcm", "test_files/JPEG2000.dcm" })
        {
            var bytes = File.ReadAllBytes(PydicomCorpus.FullPath(name));
            var file = DicomFile.Parse(bytes);
            Assert.That(file.PixelDataOffset, Is.Not.Null, name);
            var at = bytes.AsSpan((int)file.PixelDataOffset!.Value);
            var group = file.TransferSyntax.IsBigEndian ? BinaryPrimitives.ReadUInt16BigEndian(at) : BinaryPrimitives.ReadUInt16LittleEndian(at);
            var element = file.TransferSyntax.IsBigEndian ? BinaryPrimitives.ReadUInt16BigEndian(at[2..]) : BinaryPrimitives.ReadUInt16LittleEndian(at[2..]);
            Assert.That((group, element), Is.EqualTo(((ushort)0x7FE0, (ushort)0x0010)), name);
        }
    }

    [Test]
    public void Parse_SequencesNestedDeeperThanLimit_FormatError()
    {
        var dataset = new DicomDataset();
        var inner = dataset;
        for (var depth = 0; depth < 70; depth++)
        {
            var item = new DicomDataset();
            inner.Add(new DicomSequence(DicomTags.ReferencedImageSequence, [item]));
            inner = item;
        }

        var bytes = DicomWriter.ToBytes(new DicomFile(new DicomDataset(), dataset, DicomTransferSyntax.ExplicitVRLittleEndian));
        var error = Assert.Throws<DicomFormatException>(() => DicomFile.Parse(bytes));
        Assert.That(error!.Reason, Is.EqualTo(DicomFormatError.SequenceTooDeep));
        Assert.That(DicomFile.Parse(bytes, new DicomReadOptions { MaxSequenceDepth = 80 }).Dataset.Count, Is.EqualTo(1));
    }

    [Test]
    public void Parse_DeflatedBeyondLimit_FormatErrorWithoutInflatingAll()
    {
        var dataset = new DicomDataset()
            .AddString(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3")
            .AddBytes(new DicomTag(0x0009, 0x1001), DicomVR.OB, new byte[4_000_000]); // compresses to a few KB
        var bytes = DicomWriter.ToBytes(new DicomFile(new DicomDataset(), dataset, DicomTransferSyntax.DeflatedExplicitVRLittleEndian));
        Assert.That(bytes.Length, Is.LessThan(100_000));
        var error = Assert.Throws<DicomFormatException>(() => DicomFile.Parse(bytes, new DicomReadOptions { MaxInflatedBytes = 1_000_000 }));
        Assert.That(error!.Reason, Is.EqualTo(DicomFormatError.TooLarge));
        Assert.That(DicomFile.Parse(bytes).Dataset.Count, Is.EqualTo(2));
    }

    [Test]
    public void Parse_LengthBeyondData_ErrorNamesTagAndOffset()
    {
        var dataset = new DicomDataset().AddString(DicomTags.PatientName, DicomVR.PN, "Doe^John");
        var bytes = DicomWriter.ToBytes(new DicomFile(new DicomDataset(), dataset, DicomTransferSyntax.ExplicitVRLittleEndian));
        var error = Assert.Throws<DicomFormatException>(() => DicomFile.Parse(bytes.AsMemory(0, bytes.Length - 3)));
        Assert.That(error!.Reason, Is.EqualTo(DicomFormatError.LengthExceedsData));
        Assert.That(error.Message, Does.Contain("(0010,0010)"));
        Assert.That(error.Offset, Is.GreaterThan(132));
    }

    [Test]
    public void Parse_NotDicom_FormatError()
    {
        var error = Assert.Throws<DicomFormatException>(() => DicomFile.Parse("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray()));
        Assert.That(error!.Reason, Is.EqualTo(DicomFormatError.NotDicom));
    }

    [Test]
    public void Parse_Values_AreSlicesOfTheInputNotCopies()
    {
        PydicomCorpus.Require();
        var bytes = File.ReadAllBytes(PydicomCorpus.FullPath("test_files/CT_small.dcm"));
        var file = DicomFile.Parse(bytes);
        Assert.That(file.Dataset.TryGetElement(DicomTags.PixelData, out var pixels), Is.True);
        Assert.That(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(pixels.RawValue, out var segment), Is.True);
        Assert.That(segment.Array, Is.SameAs(bytes));
    }

    [Test]
    public void Parse_ImplicitVR_PrivateTagVRFromPrivateDictionary()
    {
        PydicomCorpus.Require();
        var dataset = DicomFile.Open(PydicomCorpus.FullPath("test_files/MR_small_implicit.dcm")).Dataset;
        Assert.That(dataset.Get(DicomTags.SmallestImagePixelValue)?.VR, Is.EqualTo(DicomVR.SS), "xs follows Pixel Representation = 1");
        Assert.That(dataset.Get(DicomTags.PixelData)?.VR, Is.EqualTo(DicomVR.OW));
    }
}
