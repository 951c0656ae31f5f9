using System.Globalization;
using System.Runtime.CompilerServices;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Dicom.IO;
using DicomScript.Dicom.Json;
using DicomScript.Network.Dimse;
using DicomScript.Network.Scp;
using DicomScript.Server.Configuration;
using DicomScript.Server.Scripting;
using DicomScript.Storage.Files;
using DicomScript.Storage.Identifiers;
using DicomScript.Storage.Index;
using DicomScript.Storage.Search;

namespace DicomScript.Server.Services;

/// <summary>
/// C-FIND on the archive, answering as Orthanc 1.10.1 does: every non-empty key of the identifier
/// is a constraint, every key is returned (empty when the resource has no value), plus the
/// Query/Retrieve Level, the Retrieve AE Title and the computed keys that were asked for
/// (NumberOf*Related*, ModalitiesInStudy, SOPClassesInStudy). Values come from the index unless a
/// key is not a main tag; then from the file of one instance of each match. LimitFindResults and
/// LimitFindInstances cut the list. A sequence in the identifier is answered with the sample file's
/// copy of it, when it has one. IncomingFindRequestFilter, when a script defines it, rewrites the
/// keys first (not the sequences, as in Orthanc).
/// </summary>
public sealed class FindService : ICFindHandler
{
    // Keys answered from the hierarchy rather than from tags; they never make a file read necessary.
    private static readonly HashSet<DicomTag> ComputedKeys =
    [
        DicomTags.NumberOfPatientRelatedStudies, DicomTags.NumberOfPatientRelatedSeries, DicomTags.NumberOfPatientRelatedInstances,
        DicomTags.NumberOfStudyRelatedSeries, DicomTags.NumberOfStudyRelatedInstances, DicomTags.NumberOfSeriesRelatedInstances,
        DicomTags.ModalitiesInStudy, DicomTags.SOPClassesInStudy,
    ];

    private readonly SqliteIndex _index;
    private readonly StorageArea _storage;
    private readonly OrthancConfiguration _configuration;
    private readonly ArchiveSearch _search;
    private readonly ScriptHooks _hooks;

    public FindService(SqliteIndex index, StorageArea storage, OrthancConfiguration configuration, ScriptHooks hooks)
    {
        _hooks = hooks ?? throw new ArgumentNullException(nameof(hooks));
        _index = index ?? throw new ArgumentNullException(nameof(index));
        _storage = storage ?? throw new ArgumentNullException(nameof(storage));
        _configuration = configuration ?? throw new ArgumentNullException(nameof(configuration));
        _search = new ArchiveSearch(index, ReadInstance);
    }

    public async IAsyncEnumerable<DicomDataset> FindAsync(QueryRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var identifier = request.Identifier;
        var query = Filtered(request, identifier.OfType<DicomElement>()
            .Where(e => e.Tag.Element != 0 && e.Tag != DicomTags.SpecificCharacterSet)
            .Select(e => (e.Tag, Value: OrthancTagsConverter.ValueOf(identifier, e.Tag) ?? ""))
            .ToList());
        var levelText = query.FirstOrDefault(k => k.Tag == DicomTags.QueryRetrieveLevel).Value;
        var level = QueryRetrieveLevels.Parse(levelText, "C-FIND");
        var keys = query.Where(k => k.Tag != DicomTags.QueryRetrieveLevel).ToList();

        var lookup = BuildLookup(keys);
        // Sequence keys are never constraints; their content is copied from the sample file.
        var sequences = identifier.OfType<DicomSequence>().Select(s => s.Tag).ToList();
        var needsFile = sequences.Count > 0 || keys.Any(k => !ComputedKeys.Contains(k.Tag) && !ResourceFinder.IsMainTag(k.Tag));
        var asked = keys.Select(k => k.Tag).ToHashSet();
        var asksComputed = asked.Overlaps(ComputedKeys);
        // Only files (sample instances) and computed counts look below the matches; of the main
        // tags, those answered and the series' modalities that ModalitiesInStudy lists are read.
        var (finder, matches) = _search.Find(level, lookup, readBelow: needsFile || asksComputed,
            readTags: [.. asked.Where(ResourceFinder.IsMainTag), .. asked.Contains(DicomTags.ModalitiesInStudy) ? [DicomTags.Modality] : Array.Empty<DicomTag>()]);

        // Past the limit, Orthanc stops with the final status Cancel: the SCU sees the list is partial.
        var limit = level == ResourceLevel.Instance ? _configuration.LimitFindInstances : _configuration.LimitFindResults;
        var retrieveAet = _configuration.DicomAet;
        // Each key's VR is the dictionary's for the whole query, but for a private key read from a file.
        var keyVrs = keys.Select(k => VrOf(k.Tag, null)).ToArray();
        var answered = 0;
        foreach (var match in matches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (limit > 0 && answered == limit)
                throw new DimseStatusException(DimseStatus.Cancel, $"C-FIND: more than {limit} matches, the answer is partial");
            var file = needsFile && finder.SampleInstance(match) is { } sample ? ReadDataset(sample.PublicId) : null;
            var values = file is not null ? ValuesOf(file) : finder.MainTagsUpTo(match);
            var computed = asksComputed ? ComputedValues(finder, match, asked) : null;
            var answerKeys = new (DicomTag Tag, DicomVR VR, string Value)[keys.Count];
            for (var i = 0; i < keys.Count; i++)
            {
                var tag = keys[i].Tag;
                answerKeys[i] = (tag, file is not null && tag.IsPrivate ? VrOf(tag, file) : keyVrs[i], computed?.GetValueOrDefault(tag) ?? values(tag) ?? "");
            }

            var answer = Answer(levelText!, retrieveAet, answerKeys);
            foreach (var tag in sequences)
            {
                if (file?.Get(tag) is DicomSequence sequence)
                    AddReencoded(sequence, answer);
            }

            yield return answer;
            // The matching is synchronous; every so often let a long answer list share the thread pool
            // (the consumer's sends usually complete synchronously on loopback).
            if (++answered % 64 == 0)
                await Task.Yield();
        }
    }

    // The query as IncomingFindRequestFilter rewrites it, when a script defines the filter.
    private IReadOnlyList<(DicomTag Tag, string Value)> Filtered(QueryRequest request, List<(DicomTag Tag, string Value)> query)
    {
        if (_hooks.IncomingFindFilter is not { } filter)
            return query;
        var caller = request.Caller;
        var manufacturer = _configuration.ModalitiesCalling(caller.CallingAETitle, caller.RemoteHost).FirstOrDefault()?.Manufacturer ?? "Generic";
        try
        {
            return filter.Filter(query, new FindRequestOrigin(caller.RemoteHost, caller.CallingAETitle, caller.CalledAETitle, manufacturer));
        }
        catch (ScriptException ex)
        {
            throw new DimseStatusException(DimseStatus.UnableToProcess, $"C-FIND: IncomingFindRequestFilter: {ex.Message}");
        }
    }

    /// <summary>The constraints of the identifier: every key with a value.</summary>
    private DicomLookup BuildLookup(List<(DicomTag Tag, string Value)> keys)
    {
        var lookup = new DicomLookup();
        foreach (var (tag, value) in keys.Where(k => k.Value.Length > 0))
        {
            try
            {
                lookup.AddDicomConstraint(tag, value, _configuration.CaseSensitivePN);
            }
            catch (ArgumentException ex)
            {
                throw new DimseStatusException(DimseStatus.UnableToProcess, $"C-FIND: {ex.Message}");
            }
        }

        return lookup;
    }

    private Func<DicomTag, string?> ReadInstance(string instanceId) => ValuesOf(ReadDataset(instanceId));

    // A stored file that cannot be read fails this C-FIND with a status that says so, not the association.
    private DicomDataset ReadDataset(string instanceId)
    {
        try
        {
            return _index.GetDicomFile(instanceId) is { } file ? DicomFile.Parse(_storage.Read(file.Uuid)).Dataset : new DicomDataset();
        }
        catch (Exception ex) when (ex is IOException or DicomFormatException)
        {
            throw new DimseStatusException(DimseStatus.UnableToProcess, $"C-FIND: cannot read the stored file of instance {instanceId}: {ex.Message}");
        }
    }

    private static Func<DicomTag, string?> ValuesOf(DicomDataset dataset) => tag => OrthancTagsConverter.ValueOf(dataset, tag);

    /// <summary>
    /// Adds to <paramref name="target"/> a copy of a sequence whose text is decoded with the file's
    /// character set and re-encoded with the answer's (the file may use another); other elements
    /// are shared.
    /// </summary>
    private static void AddReencoded(DicomSequence source, DicomDataset target)
    {
        var copy = new DicomSequence(source.Tag);
        target.Add(copy); // from here on, items inherit the answer's character set
        foreach (var item in source.Items)
        {
            var itemCopy = new DicomDataset();
            copy.Items.Add(itemCopy);
            foreach (var element in item.Where(e => e.Tag != DicomTags.SpecificCharacterSet))
            {
                switch (element)
                {
                    case DicomSequence nested:
                        AddReencoded(nested, itemCopy);
                        break;
                    case DicomElement text when text.VR.IsCharacterSetSensitive:
                        itemCopy.AddString(text.Tag, text.VR, item.GetString(text.Tag) ?? "");
                        break;
                    default:
                        itemCopy.Add(element);
                        break;
                }
            }
        }
    }

    /// <summary>The computed keys asked for at the level of <paramref name="match"/>.</summary>
    private Dictionary<DicomTag, string> ComputedValues(ResourceFinder finder, IndexedResource match, HashSet<DicomTag> asked)
    {
        var values = new Dictionary<DicomTag, string>();

        List<IndexedResource> Below(IEnumerable<IndexedResource> parents) => [.. parents.SelectMany(finder.Children)];
        void Count(DicomTag tag, int count)
        {
            if (asked.Contains(tag))
                values[tag] = count.ToString(CultureInfo.InvariantCulture);
        }

        switch (match.Level)
        {
            case ResourceLevel.Patient:
                var studies = Below([match]);
                var patientSeries = Below(studies);
                Count(DicomTags.NumberOfPatientRelatedStudies, studies.Count);
                Count(DicomTags.NumberOfPatientRelatedSeries, patientSeries.Count);
                Count(DicomTags.NumberOfPatientRelatedInstances, Below(patientSeries).Count);
                break;
            case ResourceLevel.Study:
                var series = Below([match]);
                var instances = Below(series);
                Count(DicomTags.NumberOfStudyRelatedSeries, series.Count);
                Count(DicomTags.NumberOfStudyRelatedInstances, instances.Count);
                if (asked.Contains(DicomTags.ModalitiesInStudy))
                    values[DicomTags.ModalitiesInStudy] = JoinDistinct(series.Select(s => s.MainTags.GetValueOrDefault(DicomTags.Modality)));
                if (asked.Contains(DicomTags.SOPClassesInStudy))
                    values[DicomTags.SOPClassesInStudy] = JoinDistinct(instances.Select(i => _index.GetMetadata(i.PublicId, MetadataType.SopClassUid)));
                break;
            case ResourceLevel.Series:
                Count(DicomTags.NumberOfSeriesRelatedInstances, Below([match]).Count);
                break;
        }

        return values;
    }

    // Distinct values sorted ordinally, as a multi-valued DICOM string.
    private static string JoinDistinct(IEnumerable<string?> values) =>
        string.Join('\\', values.OfType<string>().Distinct().Order(StringComparer.Ordinal));

    /// <summary>
    /// The VR of a key in the answer: the dictionary's; for a private key, the sample file's own VR
    /// (its creator decides what the element is), LO for a private creator. Orthanc 1.10.1 answers
    /// every private key empty, as UN; we answer the values (README).
    /// </summary>
    private static DicomVR VrOf(DicomTag tag, DicomDataset? file)
    {
        if (tag.IsPrivateCreator)
            return DicomVR.LO;
        if (tag.IsPrivate)
            return file is not null && file.TryGetElement(tag, out var element) ? element.VR : DicomVR.UN;
        return DicomDictionary.Find(tag)?.DefaultVR ?? DicomVR.UN;
    }

    /// <summary>
    /// One answer: Latin-1 (Orthanc's default encoding) when every value fits, else UTF-8 rather
    /// than losing characters. A value that does not fit its VR (text in a US key) is answered empty.
    /// </summary>
    private static DicomDataset Answer(string level, string retrieveAet, (DicomTag Tag, DicomVR VR, string Value)[] keys)
    {
        var answer = new DicomDataset();
        var latin1 = keys.All(k => !k.Value.AsSpan().ContainsAnyExceptInRange('\0', '\u00FF'));
        answer.AddString(DicomTags.SpecificCharacterSet, DicomVR.CS, latin1 ? "ISO_IR 100" : "ISO_IR 192");
        answer.AddString(DicomTags.QueryRetrieveLevel, DicomVR.CS, level);
        answer.AddString(DicomTags.RetrieveAETitle, DicomVR.AE, retrieveAet);
        foreach (var (tag, vr, value) in keys)
        {
            try
            {
                answer.AddText(tag, vr, value);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
            {
                answer.Add(new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty)); // not representable as asked: answered empty
            }
        }

        return answer;
    }
}
