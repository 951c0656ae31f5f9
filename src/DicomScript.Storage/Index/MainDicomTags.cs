using DicomScript.Dicom.Data;
using DicomScript.Dicom.Json;
using DicomScript.Storage.Identifiers;

namespace DicomScript.Storage.Index;

/// <summary>
/// The tags Orthanc 1.10.1 keeps in its index for each level (its "main DICOM tags", database
/// schema 6): what /patients, /studies, /series and /instances show and C-FIND answers from.
/// </summary>
public static class MainDicomTags
{
    private static DicomTag T(ushort group, ushort element) => new(group, element);

    public static IReadOnlyList<DicomTag> Patient { get; } =
    [
        T(0x0010, 0x0010), T(0x0010, 0x0030), T(0x0010, 0x0040), T(0x0010, 0x1000), T(0x0010, 0x0020),
    ];

    public static IReadOnlyList<DicomTag> Study { get; } =
    [
        T(0x0008, 0x0020), T(0x0008, 0x0030), T(0x0020, 0x0010), T(0x0008, 0x1030), T(0x0008, 0x0050), T(0x0020, 0x000D),
        T(0x0032, 0x1060), T(0x0008, 0x0080), T(0x0032, 0x1032), T(0x0008, 0x0090),
    ];

    public static IReadOnlyList<DicomTag> Series { get; } =
    [
        T(0x0008, 0x0021), T(0x0008, 0x0031), T(0x0008, 0x0060), T(0x0008, 0x0070), T(0x0008, 0x1010), T(0x0008, 0x103E),
        T(0x0018, 0x0015), T(0x0018, 0x0024), T(0x0018, 0x1030), T(0x0020, 0x0011), T(0x0018, 0x1090), T(0x0020, 0x1002),
        T(0x0020, 0x0105), T(0x0054, 0x0081), T(0x0054, 0x0101), T(0x0020, 0x000E), T(0x0020, 0x0037), T(0x0054, 0x1000),
        T(0x0008, 0x1070), T(0x0040, 0x0254), T(0x0018, 0x1400), T(0x0018, 0x0010),
    ];

    public static IReadOnlyList<DicomTag> Instance { get; } =
    [
        T(0x0008, 0x0012), T(0x0008, 0x0013), T(0x0020, 0x0012), T(0x0054, 0x1330), T(0x0020, 0x0013), T(0x0028, 0x0008),
        T(0x0020, 0x0100), T(0x0008, 0x0018), T(0x0020, 0x0032), T(0x0020, 0x4000), T(0x0020, 0x0037),
    ];

    public static IReadOnlyList<DicomTag> Of(ResourceLevel level) => level switch
    {
        ResourceLevel.Patient => Patient,
        ResourceLevel.Study => Study,
        ResourceLevel.Series => Series,
        _ => Instance,
    };

    /// <summary>The main tags of a level present in the dataset, with their values as Orthanc reads them.</summary>
    public static IReadOnlyDictionary<DicomTag, string> Extract(DicomDataset dataset, ResourceLevel level)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var values = new Dictionary<DicomTag, string>();
        foreach (var tag in Of(level))
        {
            if (OrthancTagsConverter.ValueOf(dataset, tag) is { } value)
                values[tag] = value;
        }

        return values;
    }
}
