using Dapper;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Storage.Files;
using DicomScript.Storage.Identifiers;
using Microsoft.Data.Sqlite;

namespace DicomScript.Storage.Index;

// Reading the index.
public sealed partial class SqliteIndex
{
    /// <summary>The public IDs of a level, oldest first.</summary>
    public IReadOnlyList<string> List(ResourceLevel level)
    {
        lock (_lock)
            return [.. _connection.Query<string>("SELECT publicId FROM Resources WHERE resourceType = @level ORDER BY internalId", new { level = (int)level })];
    }

    /// <summary>The level of a resource; null when unknown.</summary>
    public ResourceLevel? LevelOf(string publicId)
    {
        lock (_lock)
            return (ResourceLevel?)(long?)_rows.Scalar("SELECT resourceType FROM Resources WHERE publicId = @publicId", ("@publicId", publicId));
    }

    /// <summary>A resource with its parent, children, main tags, metadata and stability; null when unknown.</summary>
    public ResourceInfo? Get(string publicId) => GetMany([publicId]).GetValueOrDefault(publicId);

    /// <summary>
    /// Several resources as <see cref="Get"/> gives each, in one prepared statement (every GET of a
    /// resource, and the answers of /tools/find with Expand, come here); the unknown ones are absent.
    /// </summary>
    // Its rows, by resource: the resource itself (kind 0), its children oldest first (1), tags (2), metadata (3).
    public IReadOnlyDictionary<string, ResourceInfo> GetMany(IReadOnlyCollection<string> publicIds)
    {
        ArgumentNullException.ThrowIfNull(publicIds);
        var found = new Dictionary<string, ResourceInfo>(StringComparer.Ordinal);
        lock (_lock)
        {
            using var reader = _rows.Read("""
                WITH me(id) AS (SELECT internalId FROM Resources WHERE publicId IN (SELECT value FROM json_each(@ids)))
                SELECT me.id, 0, r.resourceType, r.publicId, p.publicId, CASE WHEN r.resourceType = 3 THEN 1 ELSE r.isStable END
                    FROM me JOIN Resources r ON r.internalId = me.id LEFT JOIN Resources p ON p.internalId = r.parentId
                UNION ALL SELECT me.id, 1, c.internalId, c.publicId, NULL, NULL FROM me JOIN Resources c ON c.parentId = me.id
                UNION ALL SELECT me.id, 2, m.tag, m.value, NULL, NULL FROM me JOIN MainDicomTags m ON m.id = me.id
                UNION ALL SELECT me.id, 3, d.type, d.value, NULL, NULL FROM me JOIN Metadata d ON d.id = me.id
                ORDER BY 1, 2, 3
                """, ("@ids", System.Text.Json.JsonSerializer.Serialize(publicIds)));
            (string PublicId, ResourceLevel Level, string? Parent, bool Stable)? current = null;
            List<string> children = [];
            Dictionary<DicomTag, string> tags = [];
            Dictionary<int, string> metadata = [];
            void Flush()
            {
                if (current is { } resource)
                    found[resource.PublicId] = new ResourceInfo(resource.PublicId, resource.Level, resource.Parent, children, tags, metadata, resource.Stable);
            }

            while (reader.Read())
            {
                switch (reader.Int64(1))
                {
                    case 0:
                        Flush();
                        current = (reader.String(3), (ResourceLevel)reader.Int64(2), reader.IsNull(4) ? null : reader.String(4), reader.Int64(5) == 1);
                        (children, tags, metadata) = ([], [], []);
                        break;
                    case 1:
                        children.Add(reader.String(3));
                        break;
                    case 2:
                        tags[new DicomTag((uint)reader.Int64(2))] = reader.String(3);
                        break;
                    default:
                        metadata[(int)reader.Int64(2)] = reader.String(3);
                        break;
                }
            }

            Flush();
        }

        return found;
    }

    /// <summary>
    /// Every resource with its parent and main tags, read at once: what the finder
    /// scans. A whole-index read is fine at the sizes a scripted PACS node holds today; a finder
    /// that pushes constraints into SQL can replace it without changing its callers.
    /// </summary>
    public IReadOnlyList<IndexedResource> AllResources()
    {
        lock (_lock)
            return ReadResources("SELECT internalId FROM Resources", []);
    }

    /// <summary>
    /// The resources of <paramref name="level"/> whose identifier <paramref name="tag"/> is one of
    /// <paramref name="values"/> (without case when not <paramref name="caseSensitive"/>: the
    /// values' upper-case forms, as a search compares them), with all their ancestors and their
    /// descendants as far as <paramref name="reach"/> says: everything a search constrained by that
    /// identifier can look at, read through the identifier index instead of the whole table.
    /// </summary>
    public IReadOnlyList<IndexedResource> ResourcesAround(ResourceLevel level, DicomTag tag, IReadOnlyCollection<string> values, bool caseSensitive,
        ScopeReach reach)
    {
        ArgumentNullException.ThrowIfNull(values);
        var column = caseSensitive ? "value" : "folded";
        var keys = caseSensitive ? values : [.. values.Select(FoldCase)];
        // CROSS JOIN: the identifier's index first. Left to choose, SQLite walks every resource of
        // the level (its index on the level is ordered as the rows are) and looks each one up.
        return LoadScope($"""
            SELECT r.internalId FROM DicomIdentifiers d CROSS JOIN Resources r ON r.internalId = d.id
            WHERE d.tag = @tag AND d.{column} IN (SELECT value FROM json_each(@values)) AND r.resourceType = @level
            """, [("@tag", (long)tag.Value), ("@values", System.Text.Json.JsonSerializer.Serialize(keys)), ("@level", (int)level)], level, reach);
    }

    /// <summary>
    /// The given resources (internal ids, of <paramref name="level"/>) with their ancestors and
    /// their descendants as far as <paramref name="reach"/> says: what a search over those
    /// candidates reads.
    /// </summary>
    public IReadOnlyList<IndexedResource> ResourcesFrom(ResourceLevel level, IReadOnlyCollection<long> internalIds, ScopeReach reach)
    {
        ArgumentNullException.ThrowIfNull(internalIds);
        // A JSON array as one parameter: no limit on how many ids.
        return LoadScope("SELECT value FROM json_each(@ids)", [("@ids", System.Text.Json.JsonSerializer.Serialize(internalIds))], level, reach);
    }

    /// <summary>Every resource of a level with its ancestors and its descendants as far as <paramref name="reach"/> says.</summary>
    public IReadOnlyList<IndexedResource> ResourcesAt(ResourceLevel level, ScopeReach reach)
    {
        ArgumentNullException.ThrowIfNull(reach);
        // Every resource above a level is some resource's ancestor (a resource left without
        // children is deleted), and every one below a resource's descendant: the levels say it all.
        lock (_lock)
            return ReadResources("SELECT internalId FROM Resources WHERE resourceType <= @deepest", [("@deepest", (int)(reach.Deepest > level ? reach.Deepest : level))], reach.Tags);
    }

    /// <summary>
    /// The value of one main tag on each resource of a level that has it, by internal id (read
    /// through the tag index); with <paramref name="prefilter"/>, a SQL condition on the column
    /// <c>value</c>, only the rows that pass it.
    /// </summary>
    public IReadOnlyList<(long InternalId, string Value)> TagValues(ResourceLevel level, DicomTag tag,
        (string Sql, (string Name, object? Value)[] Parameters)? prefilter = null)
    {
        // When no other level's rows hold the tag, its rows need no check of their level.
        var onlyThisLevel = Enum.GetValues<ResourceLevel>().All(other => other == level || !RowsHold(other, tag));
        var condition = prefilter is { } filter ? $" AND {filter.Sql}" : "";
        (string, object?)[] parameters = [("@tag", (long)tag.Value), .. prefilter?.Parameters ?? []];
        lock (_lock)
        {
            // The level is checked after the value: a join for the rows that pass it only.
            using var rows = onlyThisLevel
                ? _rows.Read($"SELECT id, value FROM MainDicomTags WHERE tag = @tag{condition}", parameters)
                : _rows.Read(
                    $"SELECT id, value FROM MainDicomTags m WHERE tag = @tag{condition} AND (SELECT r.resourceType FROM Resources r WHERE r.internalId = m.id) = @level",
                    [.. parameters, ("@level", (int)level)]);
            var values = new List<(long, string)>();
            while (rows.Read())
                values.Add((rows.Int64(0), rows.String(1)));
            return values;
        }
    }

    /// <summary>Whether the index rows of <paramref name="rows"/> hold <paramref name="tag"/>: the level's main tags, and for a study its patient's too (a copy).</summary>
    public static bool RowsHold(ResourceLevel rows, DicomTag tag) =>
        MainDicomTags.Of(rows).Contains(tag) || (rows == ResourceLevel.Study && MainDicomTags.Of(ResourceLevel.Patient).Contains(tag));

    /// <summary>The given resources (internal ids) alone, without their main tags, oldest first.</summary>
    public IReadOnlyList<IndexedResource> ResourcesWithoutTags(IReadOnlyCollection<long> internalIds)
    {
        ArgumentNullException.ThrowIfNull(internalIds);
        lock (_lock)
        {
            using var reader = _rows.Read("""
                SELECT internalId, resourceType, publicId, parentId FROM Resources
                WHERE internalId IN (SELECT value FROM json_each(@ids)) ORDER BY internalId
                """, ("@ids", System.Text.Json.JsonSerializer.Serialize(internalIds)));
            var resources = new List<IndexedResource>();
            var noTags = new Dictionary<DicomTag, string>();
            while (reader.Read())
                resources.Add(new IndexedResource(reader.Int64(0), (ResourceLevel)reader.Int64(1), reader.String(2), reader.IsNull(3) ? null : reader.Int64(3), noTags));
            return resources;
        }
    }

    /// <summary>The internal ids of the resources of <paramref name="level"/> below the given ones, which are of <paramref name="from"/> (themselves when that is <paramref name="level"/>).</summary>
    public IReadOnlyList<long> DescendantsAt(IReadOnlyCollection<long> internalIds, ResourceLevel from, ResourceLevel level)
    {
        ArgumentNullException.ThrowIfNull(internalIds);
        IReadOnlyCollection<long> ids = internalIds;
        lock (_lock)
        {
            // One level at a time: a plain lookup through the children index, cheaper than a recursive statement.
            for (var current = from; current < level && ids.Count > 0; current++)
            {
                using var rows = _rows.Read("SELECT internalId FROM Resources WHERE parentId IN (SELECT value FROM json_each(@ids))",
                    ("@ids", System.Text.Json.JsonSerializer.Serialize(ids)));
                var children = new List<long>();
                while (rows.Read())
                    children.Add(rows.Int64(0));
                ids = children;
            }
        }

        return [.. ids];
    }

    // Seeds (a statement giving internal ids of resources of a level), their ancestors and their
    // descendants down to a level, with (some of) their main tags. The levels are known, so each
    // step up or down is a plain lookup of its own (parents, then children, through their indexes):
    // a recursive statement cost twice as much for 200 studies and their patients.
    private List<IndexedResource> LoadScope(string seeds, (string Name, object Value)[] parameters, ResourceLevel seedLevel, ScopeReach reach)
    {
        // Each step is named after the level it reaches: up0 the patients above studies, down3 the instances.
        var steps = new List<(string Name, string Sql)> { ("seeds", seeds) };
        for (var level = seedLevel - 1; level >= ResourceLevel.Patient; level--)
            steps.Add(($"up{(int)level}", $"SELECT parentId FROM Resources WHERE internalId IN (SELECT id FROM {steps[^1].Name})"));
        var above = "seeds";
        for (var level = seedLevel + 1; level <= reach.Deepest; level++)
        {
            steps.Add(($"down{(int)level}", $"SELECT internalId FROM Resources WHERE parentId IN (SELECT id FROM {above})"));
            above = steps[^1].Name;
        }

        var scope = $"WITH {string.Join(", ", steps.Select(s => $"{s.Name}(id) AS ({s.Sql})"))}, " +
                    $"scope(id) AS ({string.Join(" UNION ALL ", steps.Select(s => $"SELECT id FROM {s.Name}"))})";
        lock (_lock)
            return ReadResources(scope, parameters, reach.Tags);
    }

    // Resources (the ids a statement or WITH clause named "scope" gives) with their main tags (only
    // those of `tags` unless null), read by RowReaders (this is the hot part of every C-FIND and
    // /tools/find). First the resources, then their tags.
    private List<IndexedResource> ReadResources(string scope, (string Name, object Value)[] parameters, IReadOnlyCollection<DicomTag>? tags = null)
    {
        var sql = (scope.StartsWith("WITH", StringComparison.Ordinal) ? scope : $"WITH scope(id) AS ({scope})") + """
             SELECT r.internalId, r.resourceType, r.publicId, r.parentId FROM Resources r
             WHERE r.internalId IN (SELECT id FROM scope) ORDER BY r.internalId
            """;
        var resources = new List<IndexedResource>();
        var tagsById = new Dictionary<long, Dictionary<DicomTag, string>>();
        using (var rows = _rows.Read(sql, [.. parameters.Select(p => (p.Name, (object?)p.Value))]))
        {
            while (rows.Read())
            {
                var id = rows.Int64(0);
                var own = new Dictionary<DicomTag, string>();
                tagsById[id] = own;
                resources.Add(new IndexedResource(id, (ResourceLevel)rows.Int64(1), rows.String(2), rows.IsNull(3) ? null : rows.Int64(3), own));
            }
        }

        if (resources.Count == 0 || tags is { Count: 0 })
            return resources;
        var byColumn = tags is null ? [] : TagsReadByColumn(resources, tags);
        foreach (var tag in byColumn)
        {
            // The tag's stretch of the (tag, value) index, kept for the resources in scope.
            using var rows = _rows.Read("SELECT id, value FROM MainDicomTags WHERE tag = @tag", ("@tag", (long)tag.Value));
            while (rows.Read())
            {
                if (tagsById.TryGetValue(rows.Int64(0), out var own))
                    own[tag] = rows.String(1);
            }
        }

        if (tags is not null && byColumn.Count == tags.Count)
            return resources;
        // The rest: each resource's rows, which lie together (the table is ordered by resource). All
        // of them are read and the unwanted dropped here: one B-tree search per resource, where
        // asking for each (resource, tag) pair cost one per pair (300 resources: 0.97 -> 0.83 ms).
        var ids = System.Text.Json.JsonSerializer.Serialize(resources.Select(r => r.InternalId));
        var wanted = tags?.Except(byColumn).Select(t => t.Value).ToHashSet();
        using (var rows = _rows.Read("SELECT id, tag, value FROM MainDicomTags WHERE id IN (SELECT value FROM json_each(@ids))", ("@ids", ids)))
        {
            while (rows.Read())
            {
                var tag = (uint)rows.Int64(1);
                if (wanted is null || wanted.Contains(tag))
                    tagsById[rows.Int64(0)][new DicomTag(tag)] = rows.String(2);
            }
        }

        return resources;
    }

    // The tags cheaper to read whole from the (tag, value) index than resource by resource: those
    // whose holders in scope are many (a universal C-FIND's studies) and at least a third of all
    // the holders in the index (each resource's own rows cost a B-tree search; a tag's stretch of
    // the index reads on from row to row).
    private List<DicomTag> TagsReadByColumn(List<IndexedResource> resources, IReadOnlyCollection<DicomTag> tags)
    {
        const int manyHolders = 256;
        var inScope = resources.CountBy(r => r.Level).ToDictionary();
        var inIndex = new Dictionary<ResourceLevel, long>();
        long InIndex(ResourceLevel level) => inIndex.TryGetValue(level, out var count) ? count : inIndex[level] =
            (long)_rows.Scalar("SELECT COUNT(*) FROM Resources WHERE resourceType = @level", ("@level", (int)level))!;
        var byColumn = new List<DicomTag>();
        foreach (var tag in tags)
        {
            var holders = Enum.GetValues<ResourceLevel>().Where(level => RowsHold(level, tag)).ToList();
            var holdersInScope = holders.Sum(level => inScope.GetValueOrDefault(level));
            if (holdersInScope < manyHolders)
                continue;
            if (holdersInScope * 3 >= holders.Sum(InIndex))
                byColumn.Add(tag);
        }

        return byColumn;
    }

    /// <summary>The level whose DICOM identifiers include <paramref name="tag"/> (PatientID, StudyInstanceUID, AccessionNumber, ...); null for another tag.</summary>
    public static ResourceLevel? IdentifierLevel(DicomTag tag) =>
        Identifiers.FirstOrDefault(p => p.Value.Contains(tag)) is { Value: not null } found ? found.Key : null;

    /// <summary>One metadata value of a resource, or null (one statement, unlike <see cref="Get"/>).</summary>
    public string? GetMetadata(string publicId, MetadataType type)
    {
        lock (_lock)
        {
            return (string?)_rows.Scalar(
                "SELECT m.value FROM Metadata m JOIN Resources r ON r.internalId = m.id WHERE r.publicId = @publicId AND m.type = @type",
                ("@publicId", publicId), ("@type", (int)type));
        }
    }

    /// <summary>The DICOM file of an instance; null when the instance is unknown.</summary>
    public StoredFile? GetDicomFile(string instanceId)
    {
        lock (_lock)
        {
            using var row = _rows.Read("""
                SELECT a.uuid, a.uncompressedSize, a.storedSize, a.uncompressedMd5, a.compressed
                FROM AttachedFiles a JOIN Resources r ON r.internalId = a.id WHERE r.publicId = @instanceId AND a.fileType = @type
                """, ("@instanceId", instanceId), ("@type", DicomAttachment));
            return row.Read() ? new StoredFile(row.String(0), row.Int64(1), row.Int64(2), row.IsNull(3) ? "" : row.String(3), row.Int64(4) != 0) : null;
        }
    }

    /// <summary>
    /// Marks stable the patients, studies and series whose last instance arrived before
    /// <paramref name="lastUpdateBefore"/> (an Orthanc timestamp) and logs a StableSeries,
    /// StableStudy or StablePatient change for each, series first. Stability is kept in the index,
    /// so resources waiting when the server stops are marked after it restarts.
    /// </summary>
    public IReadOnlyList<Change> MarkStable(string lastUpdateBefore)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            var due = _connection.Query<(long Id, long Level, string PublicId)>("""
                SELECT r.internalId, r.resourceType, r.publicId FROM Resources r
                JOIN Metadata m ON m.id = r.internalId AND m.type = @lastUpdate
                WHERE r.isStable = 0 AND r.resourceType < @instance AND m.value < @before
                ORDER BY r.resourceType DESC, r.internalId
                """, new { lastUpdate = (int)MetadataType.LastUpdate, instance = (int)ResourceLevel.Instance, before = lastUpdateBefore }, transaction).ToList();
            var changes = new List<Change>(due.Count);
            var now = Now();
            foreach (var (id, level, publicId) in due)
                changes.Add(MarkStable(id, (ResourceLevel)level, publicId, now, transaction));
            transaction.Commit();
            return changes;
        }
    }

    /// <summary>
    /// Makes a patient, study or series stable or unstable at once (Lua's SetStableStatus); true when
    /// that changed its state, null when there is no such resource. Made stable, it logs its StableX
    /// change as the monitor would; made unstable, its LastUpdate becomes now, so the monitor waits
    /// StableAge again before making it stable (as Orthanc's unstable resources wait in memory).
    /// Instances are always stable.
    /// </summary>
    public bool? SetStable(string publicId, bool stable)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            var row = _connection.QuerySingleOrDefault<(long Id, long Level, long IsStable)?>(
                "SELECT internalId, resourceType, isStable FROM Resources WHERE publicId = @publicId", new { publicId }, transaction);
            if (row is not { } resource)
                return null;
            if ((ResourceLevel)resource.Level == ResourceLevel.Instance || resource.IsStable == 1 == stable)
                return false;
            var now = Now();
            if (stable)
            {
                MarkStable(resource.Id, (ResourceLevel)resource.Level, publicId, now, transaction);
            }
            else
            {
                _connection.Execute("UPDATE Resources SET isStable = 0 WHERE internalId = @id", new { id = resource.Id }, transaction);
                SetMetadata(resource.Id, (int)MetadataType.LastUpdate, now);
            }

            transaction.Commit();
            return true;
        }
    }

    private Change MarkStable(long id, ResourceLevel level, string publicId, string now, SqliteTransaction transaction)
    {
        var change = level switch
        {
            ResourceLevel.Patient => ChangeType.StablePatient,
            ResourceLevel.Study => ChangeType.StableStudy,
            _ => ChangeType.StableSeries,
        };
        _connection.Execute("UPDATE Resources SET isStable = 1 WHERE internalId = @id", new { id }, transaction);
        return new Change(LogChange(change, id, level, now), change, level, publicId, now);
    }

    /// <summary>Whether a patient, study or series is stable (instances are always stable).</summary>
    public bool IsStable(string publicId)
    {
        lock (_lock)
            return (long?)_rows.Scalar("SELECT CASE WHEN resourceType = 3 THEN 1 ELSE isStable END FROM Resources WHERE publicId = @publicId", ("@publicId", publicId)) == 1;
    }

    /// <summary>True when an attachment with this UUID is referenced by the index.</summary>
    public bool HasAttachment(string uuid)
    {
        lock (_lock)
            return _connection.ExecuteScalar<long>("SELECT COUNT(*) FROM AttachedFiles WHERE uuid = @uuid", new { uuid }) > 0;
    }

    /// <summary>
    /// The resources of a level whose DICOM identifier <paramref name="tag"/> (PatientID,
    /// StudyInstanceUID, AccessionNumber, SeriesInstanceUID, SOPInstanceUID) is
    /// <paramref name="value"/> without regard to case or surrounding spaces, as Orthanc compares
    /// identifiers (it keeps them upper-cased), oldest first (read through the identifier's folded
    /// index, see <see cref="ResourcesAround"/>).
    /// </summary>
    public IReadOnlyList<string> LookupIdentifier(ResourceLevel level, DicomTag tag, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            return [.. _connection.Query<string>("""
                SELECT r.publicId FROM DicomIdentifiers d CROSS JOIN Resources r ON r.internalId = d.id
                WHERE d.tag = @tag AND d.folded = @folded AND r.resourceType = @level ORDER BY r.internalId
                """, new { tag = (long)tag.Value, folded = FoldCase(value.Trim()), level = (int)level })];
        }
    }

    /// <summary>
    /// The instances below a resource with what sending them needs (SOP class and instance UIDs,
    /// stored transfer syntax, file), oldest first; one statement.
    /// </summary>
    public IReadOnlyList<InstanceSummary> InstanceSummariesOf(string publicId)
    {
        lock (_lock)
        {
            return [.. _connection.Query<(string PublicId, string? SopInstanceUid, string? SopClassUid, string? TransferSyntax, string? Uuid)>("""
                    WITH RECURSIVE sub(id, level, publicId) AS (
                        SELECT internalId, resourceType, publicId FROM Resources WHERE publicId = @publicId
                        UNION ALL SELECT r.internalId, r.resourceType, r.publicId FROM Resources r JOIN sub ON r.parentId = sub.id)
                    SELECT sub.publicId,
                        (SELECT value FROM MainDicomTags WHERE id = sub.id AND tag = @sopInstanceTag),
                        (SELECT value FROM Metadata WHERE id = sub.id AND type = @sopClass),
                        (SELECT value FROM Metadata WHERE id = sub.id AND type = @syntax),
                        (SELECT uuid FROM AttachedFiles WHERE id = sub.id AND fileType = @dicom)
                    FROM sub WHERE level = @instance ORDER BY sub.id
                    """, new
                    {
                        publicId, instance = (int)ResourceLevel.Instance, sopInstanceTag = (long)DicomTags.SOPInstanceUID.Value,
                        sopClass = (int)MetadataType.SopClassUid, syntax = (int)MetadataType.TransferSyntax, dicom = DicomAttachment,
                    })
                .Select(r => new InstanceSummary(r.PublicId, r.SopInstanceUid ?? "", r.SopClassUid ?? "", r.TransferSyntax ?? "", r.Uuid))];
        }
    }

    public IndexStatistics Statistics()
    {
        lock (_lock)
        {
            var counts = _connection.Query<(long Level, long Count)>("SELECT resourceType, COUNT(*) FROM Resources GROUP BY resourceType").ToDictionary(c => (ResourceLevel)c.Level, c => c.Count);
            var sizes = _connection.QuerySingle<(long? Stored, long? Uncompressed)>("SELECT SUM(storedSize), SUM(uncompressedSize) FROM AttachedFiles");
            return new IndexStatistics(counts.GetValueOrDefault(ResourceLevel.Patient), counts.GetValueOrDefault(ResourceLevel.Study),
                counts.GetValueOrDefault(ResourceLevel.Series), counts.GetValueOrDefault(ResourceLevel.Instance), sizes.Stored ?? 0, sizes.Uncompressed ?? 0);
        }
    }
}
