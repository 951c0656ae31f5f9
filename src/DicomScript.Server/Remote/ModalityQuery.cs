using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Network;
using DicomScript.Network.Scp;
using DicomScript.Server.Configuration;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;

namespace DicomScript.Server.Remote;

/// <summary>
/// A C-FIND sent to one of the DicomModalities, built as Orthanc 1.10.1 builds it for
/// <c>/modalities/{name}/query</c>: with Normalize (the default) only the keys of the level and
/// those above are kept (main DICOM tags and the level's computed counters), the manufacturer's
/// wildcard fixes apply, then QueryRetrieveLevel and the level's identifying keys are added
/// (empty, or "*" for GE). Answers are kept for <c>/queries/{id}</c>, each with its
/// QueryRetrieveLevel (and, as from Orthanc, MediaStorageSOPInstanceUID beside a SOPInstanceUID).
/// </summary>
public sealed class ModalityQuery
{
    private readonly List<DicomDataset> _answers = [];

    public ModalityQuery(DicomModality modality, ResourceLevel level, IReadOnlyList<(DicomTag Tag, string Value)> keys, bool normalize, string localAet, int? timeout)
    {
        Modality = modality ?? throw new ArgumentNullException(nameof(modality));
        Level = level;
        Keys = keys ?? throw new ArgumentNullException(nameof(keys));
        Normalize = normalize;
        LocalAet = localAet ?? throw new ArgumentNullException(nameof(localAet));
        Timeout = timeout;
    }

    public DicomModality Modality { get; }

    public ResourceLevel Level { get; }

    /// <summary>The keys as asked, before normalization (<c>/queries/{id}/query</c>).</summary>
    public IReadOnlyList<(DicomTag Tag, string Value)> Keys { get; }

    public bool Normalize { get; }

    public string LocalAet { get; }

    public int? Timeout { get; }

    public IReadOnlyList<DicomDataset> Answers => _answers;

    /// <summary>The DICOM name of the level (IMAGE for instances).</summary>
    public string LevelName => Level switch
    {
        ResourceLevel.Patient => "PATIENT",
        ResourceLevel.Study => "STUDY",
        ResourceLevel.Series => "SERIES",
        _ => "IMAGE",
    };

    /// <summary>Sends the C-FIND and collects the answers; a network or DIMSE failure is an <see cref="IOException"/> with the reason.</summary>
    public async Task RunAsync(DicomScriptServer archive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var sopClass = Level == ResourceLevel.Patient ? SopClasses.PatientRootFind : SopClasses.StudyRootFind;
        var client = archive.ClientFor(Modality, Timeout, LocalAet);
        try
        {
            // As Orthanc: OutgoingFindRequestFilter sees the keys as asked, before normalization.
            var keys = archive.Hooks.OutgoingFindFilter is { } filter ? filter.Filter(Keys, Modality.AET) : Keys;
            await foreach (var answer in client.FindAsync(sopClass, BuildIdentifier(keys), cancellationToken).ConfigureAwait(false))
            {
                if (!answer.Contains(DicomTags.QueryRetrieveLevel))
                    answer.AddString(DicomTags.QueryRetrieveLevel, DicomVR.CS, LevelName);
                // Orthanc keeps its answers as files, whose meta header repeats the SOP Instance UID:
                // its answers show (0002,0003) too, and scripts may read it.
                if (answer.GetString(DicomTags.SOPInstanceUID) is { Length: > 0 } sopInstanceUid)
                    answer.AddString(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstanceUid);
                _answers.Add(answer);
            }
        }
        catch (Exception ex) when (DicomNetworkException.IsPeerFailure(ex, cancellationToken))
        {
            throw new IOException($"C-FIND SCU to AET \"{Modality.AET}\": {ex.Message}", ex);
        }
    }

    /// <summary>The identifier sent for <paramref name="asked"/> (the query's keys, or what the outgoing filter made of them), as described in the class summary.</summary>
    public DicomDataset BuildIdentifier(IReadOnlyList<(DicomTag Tag, string Value)> asked)
    {
        ArgumentNullException.ThrowIfNull(asked);
        var keys = Normalize ? [.. asked.Where(k => AllowedAt(Level).Contains(k.Tag))] : asked.ToList();
        if (Normalize)
            keys = [.. keys.Select(k => (k.Tag, FixWildcard(k.Tag, k.Value)))];
        var identifier = new DicomDataset();
        var latin1 = keys.All(k => k.Value.All(c => c <= '\u00FF'));
        identifier.AddString(DicomTags.SpecificCharacterSet, DicomVR.CS, latin1 ? "ISO_IR 100" : "ISO_IR 192");
        foreach (var (tag, value) in keys.Where(k => k.Tag != DicomTags.SpecificCharacterSet))
            AddKey(identifier, tag, value);
        identifier.AddString(DicomTags.QueryRetrieveLevel, DicomVR.CS, LevelName);
        var universal = Modality.Manufacturer == "GE" ? "*" : "";
        foreach (var (tag, vr, from) in IdentifyingKeys)
        {
            if (Level >= from && !identifier.Contains(tag))
                identifier.AddString(tag, vr, universal);
        }

        return identifier;
    }

    // A key with its dictionary VR; a private or unknown tag, or a value its VR cannot hold, as text (LO).
    private static void AddKey(DicomDataset identifier, DicomTag tag, string value)
    {
        var vr = DicomDictionary.Find(tag)?.DefaultVR;
        try
        {
            if (vr is { } known && known != DicomVR.UN)
            {
                identifier.AddText(tag, known, value);
                return;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            // falls back to text below
        }

        identifier.AddString(tag, DicomVR.LO, value);
    }

    // The keys every answer identifies its resource by, and from which level down they are asked.
    private static readonly (DicomTag Tag, DicomVR VR, ResourceLevel From)[] IdentifyingKeys =
    [
        (DicomTags.PatientID, DicomVR.LO, ResourceLevel.Patient),
        (DicomTags.AccessionNumber, DicomVR.SH, ResourceLevel.Study),
        (DicomTags.StudyInstanceUID, DicomVR.UI, ResourceLevel.Study),
        (DicomTags.SeriesInstanceUID, DicomVR.UI, ResourceLevel.Series),
        (DicomTags.SOPInstanceUID, DicomVR.UI, ResourceLevel.Instance),
    ];

    // Orthanc's fixes for modalities that choke on "*": in dates only, or everywhere.
    private string FixWildcard(DicomTag tag, string value) => value == "*" && Modality.Manufacturer switch
    {
        "GenericNoUniversalWildcard" => true,
        "GenericNoWildcardInDates" => DicomDictionary.Find(tag)?.DefaultVR == DicomVR.DA,
        _ => false,
    } ? "" : value;

    private static HashSet<DicomTag> AllowedAt(ResourceLevel level)
    {
        var allowed = new HashSet<DicomTag> { DicomTags.SpecificCharacterSet };
        for (var above = ResourceLevel.Patient; above <= level; above++)
            allowed.UnionWith(MainDicomTags.Of(above));
        allowed.UnionWith(level switch
        {
            ResourceLevel.Patient => [DicomTags.NumberOfPatientRelatedStudies, DicomTags.NumberOfPatientRelatedSeries, DicomTags.NumberOfPatientRelatedInstances],
            ResourceLevel.Study => [DicomTags.ModalitiesInStudy, DicomTags.NumberOfStudyRelatedSeries, DicomTags.NumberOfStudyRelatedInstances, DicomTags.SOPClassesInStudy],
            ResourceLevel.Series => [DicomTags.NumberOfSeriesRelatedInstances],
            _ => [],
        });
        return allowed;
    }
}
