using System.Globalization;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Json;
using DicomScript.Storage.Index;

namespace DicomScript.Server.Ingest;

/// <summary>The metadata Orthanc 1.10.1 records when it stores an instance, and on the series the instance creates.</summary>
public static class StoreTimeMetadata
{
    public static Dictionary<int, string> OfInstance(DicomFile file, InstanceOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(origin);
        var metadata = new Dictionary<int, string>
        {
            [(int)MetadataType.ReceptionDate] = SqliteIndex.Now(),
            [(int)MetadataType.Origin] = origin.RequestOrigin,
            [(int)MetadataType.RemoteAET] = RemoteAet(origin),
            [(int)MetadataType.TransferSyntax] = file.TransferSyntax.Uid,
            // Read as Orthanc reads it (also from an element stored as UN).
            [(int)MetadataType.SopClassUid] = OrthancTagsConverter.ValueOf(file.Dataset, DicomTags.SOPClassUID) ?? "",
        };
        if (file.PixelDataOffset is { } offset)
            metadata[(int)MetadataType.PixelDataOffset] = offset.ToString(CultureInfo.InvariantCulture);
        if (IndexInSeries(file.Dataset) is { } index)
            metadata[(int)MetadataType.IndexInSeries] = index;
        switch (origin.RequestOrigin)
        {
            case InstanceOrigin.DicomProtocol:
                metadata[(int)MetadataType.CalledAET] = origin.CalledAet ?? "";
                metadata[(int)MetadataType.RemoteIP] = origin.RemoteIp ?? "";
                break;
            case InstanceOrigin.RestApi:
                metadata[(int)MetadataType.RemoteIP] = origin.RemoteIp ?? "";
                metadata[(int)MetadataType.HttpUsername] = origin.Username ?? "";
                break;
        }

        return metadata;
    }

    /// <summary>What a new series records: the calling AE title, and how many instances it should hold when the dataset says.</summary>
    public static Dictionary<int, string> OfNewSeries(DicomDataset dataset, InstanceOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var metadata = new Dictionary<int, string> { [(int)MetadataType.RemoteAET] = RemoteAet(origin) };
        if (ExpectedNumberOfInstances(dataset) is { } expected)
            metadata[(int)MetadataType.ExpectedNumberOfInstances] = expected.ToString(CultureInfo.InvariantCulture);
        return metadata;
    }

    // Recorded whatever the origin (a REST or Lua upload too), empty unless it came over DICOM.
    private static string RemoteAet(InstanceOrigin origin) => origin.RequestOrigin == InstanceOrigin.DicomProtocol ? origin.RemoteAet ?? "" : "";

    // Orthanc's IndexInSeries is the InstanceNumber (or, without one, the ImageIndex), spaces
    // stripped; not the order of arrival. An InstanceNumber present but empty wins, giving "".
    private static string? IndexInSeries(DicomDataset dataset)
    {
        var tag = dataset.Contains(DicomTags.InstanceNumber) ? DicomTags.InstanceNumber : DicomTags.ImageIndex;
        return OrthancTagsConverter.ValueOf(dataset, tag)?.Trim();
    }

    /// <summary>
    /// Orthanc's rule: ImagesInAcquisition × NumberOfTemporalPositions when both are there, else
    /// NumberOfSlices × NumberOfTimeSlices (Cardio-PET), else CardiacNumberOfImages; null when none
    /// applies, a value is not an integer, or the count is not positive.
    /// </summary>
    public static long? ExpectedNumberOfInstances(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        string? Value(DicomTag tag) => OrthancTagsConverter.ValueOf(dataset, tag);
        long? count;
        if (Value(DicomTags.ImagesInAcquisition) is { } images && Value(DicomTags.NumberOfTemporalPositions) is { } positions)
            count = Integer(images) * Integer(positions);
        else if (Value(DicomTags.NumberOfSlices) is { } slices && Value(DicomTags.NumberOfTimeSlices) is { } timeSlices)
            count = Integer(slices) * Integer(timeSlices);
        else if (Value(DicomTags.CardiacNumberOfImages) is { } cardiac)
            count = Integer(cardiac);
        else
            return null;
        return count > 0 ? count : null;
    }

    // boost::lexical_cast<int64_t>: an optional sign and digits, nothing else.
    private static long? Integer(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
}
