using DicomScript.Dicom.Data;
using DicomScript.Storage.Files;
using DicomScript.Storage.Identifiers;

namespace DicomScript.Storage.Index;

/// <summary>Everything the index records for a new instance (the file is already written).</summary>
public sealed record InstanceToIndex(
    OrthancIdentifiers Identifiers,
    IReadOnlyDictionary<ResourceLevel, IReadOnlyDictionary<DicomTag, string>> MainTags,
    IReadOnlyDictionary<int, string> Metadata,
    StoredFile Dicom)
{
    /// <summary>How many instances this instance says its series has (Orthanc's ExpectedNumberOfInstances rules); logs CompletedSeries when reached.</summary>
    public long? ExpectedInstances { get; init; }

    /// <summary>Metadata given to the series when this instance creates it (Orthanc: ExpectedNumberOfInstances, RemoteAET).</summary>
    public IReadOnlyDictionary<int, string> SeriesMetadata { get; init; } = new Dictionary<int, string>();

    /// <summary>Metadata set on the instance and its parents at every store, new or not (Orthanc: ModifiedFrom, AnonymizedFrom).</summary>
    public IReadOnlyDictionary<ResourceLevel, IReadOnlyDictionary<int, string>> LevelMetadata { get; init; } = NoLevelMetadata;

    public static IReadOnlyDictionary<ResourceLevel, IReadOnlyDictionary<int, string>> NoLevelMetadata { get; } =
        new Dictionary<ResourceLevel, IReadOnlyDictionary<int, string>>();

    /// <summary>The identifiers and main tags of every level, read from the dataset as Orthanc reads them.</summary>
    public static InstanceToIndex Create(DicomDataset dataset, StoredFile dicom, IReadOnlyDictionary<int, string> metadata) =>
        new(OrthancIdentifiers.FromDataset(dataset),
            Enum.GetValues<ResourceLevel>().ToDictionary(level => level, level => MainDicomTags.Extract(dataset, level)),
            metadata,
            dicom);
}

/// <summary>What storing did: a new instance, or one already there (nothing changed).</summary>
public enum StoreStatus
{
    Success,
    AlreadyStored,
}

/// <summary>The outcome of a store: its status and the files it left unreferenced, to remove after the commit.</summary>
public sealed record StoreOutcome(StoreStatus Status, string InstanceId)
{
    /// <summary>When it replaced a previous copy: that copy's files (and those of the parents it left empty).</summary>
    public IReadOnlyList<string> ReplacedFileUuids { get; init; } = [];

    /// <summary>The files of the patients recycled to make room, to remove after the commit.</summary>
    public IReadOnlyList<string> RecycledFileUuids { get; init; } = [];
}

/// <summary>A resource as the index knows it (<paramref name="IsStable"/> always true for an instance).</summary>
public sealed record ResourceInfo(
    string PublicId,
    ResourceLevel Level,
    string? ParentId,
    IReadOnlyList<string> ChildrenIds,
    IReadOnlyDictionary<DicomTag, string> MainTags,
    IReadOnlyDictionary<int, string> Metadata,
    bool IsStable);

/// <summary>What a deletion removed: the files to delete and the nearest ancestor still there.</summary>
public sealed record DeleteOutcome(IReadOnlyList<string> FileUuids, (string Id, ResourceLevel Level)? RemainingAncestor);

/// <summary>An instance as a C-MOVE or C-GET sends it; <paramref name="FileUuid"/> is null if it has no DICOM file.</summary>
public sealed record InstanceSummary(string PublicId, string SopInstanceUid, string SopClassUid, string TransferSyntaxUid, string? FileUuid);

/// <summary>An entry of a numbered log (changes, exports).</summary>
public interface ILogEntry
{
    long Seq { get; }
}

/// <summary>One entry of the change log.</summary>
public sealed record Change(long Seq, ChangeType ChangeType, ResourceLevel ResourceType, string PublicId, string Date) : ILogEntry;

/// <summary>A resource sent to a modality or a peer; the UIDs down to its level.</summary>
public sealed record ExportedResource(long Seq, ResourceLevel ResourceType, string PublicId, string RemoteModality, string? PatientId,
    string? StudyInstanceUid, string? SeriesInstanceUid, string? SopInstanceUid, string Date) : ILogEntry;

/// <summary>A page of a log: its entries, whether it is the last page, and the number to continue from.</summary>
public sealed record LogPage<T>(IReadOnlyList<T> Entries, bool Done, long Last)
    where T : ILogEntry;

/// <summary>
/// What a resource and its descendants hold (<c>/{level}/{id}/statistics</c>): counts of the levels
/// below it, sizes of all attachments and of the DICOM files alone.
/// </summary>
public sealed record ResourceStatistics(ResourceLevel Level, long Studies, long Series, long Instances,
    long DiskSize, long UncompressedSize, long DicomDiskSize, long DicomUncompressedSize);

/// <summary>Counts and sizes (/statistics).</summary>
public sealed record IndexStatistics(long Patients, long Studies, long Series, long Instances, long TotalDiskSize, long TotalUncompressedSize);

/// <summary>
/// How much of the index around a search's candidates is read: their descendants down to
/// <paramref name="Deepest"/>, and of the main tags only <paramref name="Tags"/> (all when null).
/// </summary>
public sealed record ScopeReach(ResourceLevel Deepest, IReadOnlyCollection<DicomTag>? Tags = null);

/// <summary>A resource as the finder scans it: internal ids link it to its parent.</summary>
public sealed record IndexedResource(
    long InternalId,
    ResourceLevel Level,
    string PublicId,
    long? ParentInternalId,
    IReadOnlyDictionary<DicomTag, string> MainTags);
