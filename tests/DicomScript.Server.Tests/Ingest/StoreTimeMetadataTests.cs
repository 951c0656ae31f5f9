using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Server.Ingest;
using DicomScript.Storage.Index;
using NUnit.Framework;

namespace DicomScript.Server.Tests.Ingest;

/// <summary>Orthanc 1.10.1's store-time rules (the REST oracle test checks them on the corpus).</summary>
[TestFixture]
public class StoreTimeMetadataTests
{
    private static DicomDataset Dataset(params (DicomTag Tag, DicomVR VR, string Value)[] elements)
    {
        var dataset = new DicomDataset();
        foreach (var (tag, vr, value) in elements)
            dataset.AddText(tag, vr, value);
        return dataset;
    }

    private static string? IndexInSeries(DicomDataset dataset) =>
        StoreTimeMetadata.OfInstance(new DicomFile(new DicomDataset(), dataset, DicomTransferSyntax.ExplicitVRLittleEndian), InstanceOrigin.Lua)
            .GetValueOrDefault((int)MetadataType.IndexInSeries);

    // The names Orthanc 1.10.1 records for each origin (seen with /instances/{id}/metadata?expand
    // after a storescu, a POST /instances and a RestApiPost from execute-script).
    [TestCase("DicomProtocol", "CalledAET,IndexInSeries,Origin,ReceptionDate,RemoteAET,RemoteIP,SopClassUid,TransferSyntax", "MODALITY")]
    [TestCase("RestApi", "HttpUsername,IndexInSeries,Origin,ReceptionDate,RemoteAET,RemoteIP,SopClassUid,TransferSyntax", "")]
    [TestCase("Lua", "IndexInSeries,Origin,ReceptionDate,RemoteAET,SopClassUid,TransferSyntax", "")]
    public void OfInstance_EachOrigin_OrthancsNamesAndRemoteAet(string requestOrigin, string names, string remoteAet)
    {
        var origin = requestOrigin switch
        {
            InstanceOrigin.DicomProtocol => InstanceOrigin.Dicom("127.0.0.1", "MODALITY", "ORTHANC"),
            InstanceOrigin.RestApi => InstanceOrigin.Rest("127.0.0.1", ""),
            _ => InstanceOrigin.Lua,
        };
        var dataset = Dataset((DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2"), (DicomTags.InstanceNumber, DicomVR.IS, "1"));
        var metadata = StoreTimeMetadata.OfInstance(new DicomFile(new DicomDataset(), dataset, DicomTransferSyntax.ExplicitVRLittleEndian), origin);

        Assert.That(string.Join(',', metadata.Keys.Select(k => ((MetadataType)k).ToString()).Order(StringComparer.Ordinal)), Is.EqualTo(names));
        Assert.That(metadata[(int)MetadataType.RemoteAET], Is.EqualTo(remoteAet));
        Assert.That(StoreTimeMetadata.OfNewSeries(dataset, origin)[(int)MetadataType.RemoteAET], Is.EqualTo(remoteAet));
    }

    [Test]
    public void IndexInSeries_InstanceNumberThenImageIndex()
    {
        Assert.That(IndexInSeries(Dataset((DicomTags.InstanceNumber, DicomVR.IS, " 7 "), (DicomTags.ImageIndex, DicomVR.US, "3"))), Is.EqualTo("7"));
        Assert.That(IndexInSeries(Dataset((DicomTags.ImageIndex, DicomVR.US, "3"))), Is.EqualTo("3"));
        Assert.That(IndexInSeries(Dataset((DicomTags.InstanceNumber, DicomVR.IS, ""), (DicomTags.ImageIndex, DicomVR.US, "3"))), Is.Not.EqualTo("3"),
            "an InstanceNumber present, even empty, wins");
        Assert.That(IndexInSeries(Dataset()), Is.Null);
    }

    [Test]
    public void ExpectedNumberOfInstances_OrthancsThreeRules()
    {
        Assert.That(StoreTimeMetadata.ExpectedNumberOfInstances(Dataset((DicomTags.ImagesInAcquisition, DicomVR.IS, "12"), (DicomTags.NumberOfTemporalPositions, DicomVR.IS, "3"))),
            Is.EqualTo(36));
        Assert.That(StoreTimeMetadata.ExpectedNumberOfInstances(Dataset((DicomTags.ImagesInAcquisition, DicomVR.IS, "12"), (DicomTags.CardiacNumberOfImages, DicomVR.IS, "5"))),
            Is.EqualTo(5), "ImagesInAcquisition alone does not count");
        Assert.That(StoreTimeMetadata.ExpectedNumberOfInstances(Dataset((DicomTags.NumberOfSlices, DicomVR.US, "4"), (DicomTags.NumberOfTimeSlices, DicomVR.US, "2"))),
            Is.EqualTo(8));
        Assert.That(StoreTimeMetadata.ExpectedNumberOfInstances(Dataset((DicomTags.CardiacNumberOfImages, DicomVR.IS, "0"))), Is.Null, "not positive");
        Assert.That(StoreTimeMetadata.ExpectedNumberOfInstances(Dataset((DicomTags.CardiacNumberOfImages, DicomVR.IS, "x"))), Is.Null);
        Assert.That(StoreTimeMetadata.ExpectedNumberOfInstances(Dataset()), Is.Null);
    }
}
