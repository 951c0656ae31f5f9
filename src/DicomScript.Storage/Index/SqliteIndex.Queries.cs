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
            return (ResourceLevel?)_connection.ExecuteScalar<long?>("SELECT resourceType FROM Resources WHERE publicId = @publicId", new { publicId });
    }

    /// <summary>A resource with its parent, children, main tags and metadata; null when unknown.</summary>
    public ResourceInfo? Get(string publicId)
    {
        lock (_lock)
        {
            var row = _connection.QuerySingleOrDefault<(long Id, long Level, string? Parent)?>("""
                SELECT r.internalId, r.resourceType, p.publicId FROM Resources r LEFT JOIN Resources p ON p.internalId = r.parentId
                WHERE r.publicId = @publicId
                """, new { publicId });
            if (row is not { } resource)
                return null;
            var children = _connection.Query<string>("SELECT publicId FROM Resources WHERE parentId = @id ORDER BY internalId", new { id = resource.Id }).ToList();
            var tags = _connection.Query<(long Tag, string Value)>("SELECT tag, value FROM MainDicomTags WHERE id = @id", new { id = resource.Id })
                .ToDictionary(t => new DicomTag((uint)t.Tag), t => t.Value);
            var metadata = _connection.Query<(long Type, string Value)>("SELECT type, value FROM Metadata WHERE id = @id", new { id = resource.Id })
                .ToDictionary(m => (int)m.Type, m => m.Value);
            return new ResourceInfo(publicId, (ResourceLevel)resource.Level, resource.Parent, children, tags, metadata);
        }
    }

    /// <summary>
    /// Every resource with its parent and main tags, read in two statements: what the finder
    /// scans. A whole-index read is fine at the sizes a scripted PACS node holds today; a finder
    /// that pushes constraints into SQL can replace it without changing its callers.
    /// </summary>
    public IReadOnlyList<IndexedResource> AllResources()
    {
        lock (_lock)
            return ReadResources("SELECT id, tag, value FROM MainDicomTags", "SELECT internalId, resourceType, publicId, parentId FROM Resources ORDER BY internalId");
    }

    /// <summary>
    /// The resources of <paramref name="level"/> whose identifier <paramref name="tag"/> is one of
    /// <paramref name="values"/>, with all their ancestors and descendants: everything a search
    /// constrained by that identifier can look at, read through the identifier index instead of
    /// the whole table.
    /// </summary>
    public IReadOnlyList<IndexedResource> ResourcesAround(ResourceLevel level, DicomTag tag, IReadOnlyCollection<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return LoadScope("""
            SELECT r.internalId FROM DicomIdentifiers d JOIN Resources r ON r.internalId = d.id
            WHERE d.tag = @tag AND d.value IN (SELECT value FROM json_each(@values)) AND r.resourceType = @level
            """, [("@tag", (long)tag.Value), ("@values", System.Text.Json.JsonSerializer.Serialize(values)), ("@level", (int)level)], withDescendants: true);
    }

    /// <summary>
    /// The given resources (internal ids) with their ancestors and, when asked, their descendants:
    /// what a search over those candidates reads.
    /// </summary>
    public IReadOnlyList<IndexedResource> ResourcesFrom(IReadOnlyCollection<long> internalIds, bool withDescendants)
    {
        ArgumentNullException.ThrowIfNull(internalIds);
        // A JSON array as one parameter: no limit on how many ids.
        return LoadScope("SELECT value FROM json_each(@ids)", [("@ids", System.Text.Json.JsonSerializer.Serialize(internalIds))], withDescendants);
    }

    /// <summary>Every resource of a level with its ancestors and, when asked, its descendants.</summary>
    public IReadOnlyList<IndexedResource> ResourcesAt(ResourceLevel level, bool withDescendants) =>
        LoadScope("SELECT internalId FROM Resources WHERE resourceType = @level", [("@level", (int)level)], withDescendants);

    /// <summary>The value of one main tag on each resource of a level that has it, by internal id (read through the tag index).</summary>
    public IReadOnlyList<(long InternalId, string Value)> TagValues(ResourceLevel level, DicomTag tag)
    {
        lock (_lock)
        {
            return [.. _connection.Query<(long, string)>(
                "SELECT m.id, m.value FROM MainDicomTags m JOIN Resources r ON r.internalId = m.id WHERE m.tag = @tag AND r.resourceType = @level",
                new { tag = (long)tag.Value, level = (int)level })];
        }
    }

    // Seeds (a statement giving internal ids), their ancestors and optionally their descendants,
    // with main tags, in two statements.
    private List<IndexedResource> LoadScope(string seeds, (string Name, object Value)[] parameters, bool withDescendants)
    {
        var scope = $"""
            WITH RECURSIVE seeds(id) AS ({seeds}),
            down(id) AS (SELECT id FROM seeds{(withDescendants ? " UNION ALL SELECT r.internalId FROM Resources r JOIN down ON r.parentId = down.id" : "")}),
            up(id, parent) AS (
                SELECT internalId, parentId FROM Resources WHERE internalId IN (SELECT id FROM seeds)
                UNION SELECT p.internalId, p.parentId FROM Resources p JOIN up ON p.internalId = up.parent),
            scope(id) AS (SELECT id FROM down UNION SELECT id FROM up)
            """;
        lock (_lock)
        {
            return ReadResources(scope + " SELECT m.id, m.tag, m.value FROM MainDicomTags m WHERE m.id IN (SELECT id FROM scope)",
                scope + " SELECT internalId, resourceType, publicId, parentId FROM Resources WHERE internalId IN (SELECT id FROM scope) ORDER BY internalId",
                parameters);
        }
    }

    // Resources and their main tags, read with typed readers (no per-value boxing: this is the hot
    // part of every C-FIND). The statements give (id, tag, value) and (id, level, publicId, parent).
    private List<IndexedResource> ReadResources(string tagsSql, string resourcesSql, params (string Name, object Value)[] parameters)
    {
        SqliteCommand Command(string sql)
        {
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
                command.Parameters.AddWithValue(name, value);
            return command;
        }

        var tags = new Dictionary<long, Dictionary<DicomTag, string>>();
        using (var command = Command(tagsSql))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                if (!tags.TryGetValue(id, out var own))
                    tags[id] = own = [];
                own[new DicomTag((uint)reader.GetInt64(1))] = reader.GetString(2);
            }
        }

        var resources = new List<IndexedResource>();
        using (var command = Command(resourcesSql))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                resources.Add(new IndexedResource(id, (ResourceLevel)reader.GetInt64(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3),
                    tags.TryGetValue(id, out var own) ? own : new Dictionary<DicomTag, string>()));
            }
        }

        return resources;
    }

    /// <summary>The level whose DICOM identifiers include <paramref name="tag"/> (PatientID, StudyInstanceUID, AccessionNumber, ...); null for another tag.</summary>
    public static ResourceLevel? IdentifierLevel(DicomTag tag) =>
        Identifiers.FirstOrDefault(p => p.Value.Contains(tag)) is { Value: not null } found ? found.Key : null;

    /// <summary>One metadata value of a resource, or null (one statement, unlike <see cref="Get"/>).</summary>
    public string? GetMetadata(string publicId, MetadataType type)
    {
        lock (_lock)
        {
            return _connection.ExecuteScalar<string?>(
                "SELECT m.value FROM Metadata m JOIN Resources r ON r.internalId = m.id WHERE r.publicId = @publicId AND m.type = @type",
                new { publicId, type = (int)type });
        }
    }

    /// <summary>The DICOM file of an instance; null when the instance is unknown.</summary>
    public StoredFile? GetDicomFile(string instanceId)
    {
        lock (_lock)
        {
            var row = _connection.QuerySingleOrDefault<(string Uuid, long Uncompressed, long Stored, string Md5, long Compressed)?>("""
                SELECT a.uuid, a.uncompressedSize, a.storedSize, a.uncompressedMd5, a.compressed
                FROM AttachedFiles a JOIN Resources r ON r.internalId = a.id WHERE r.publicId = @instanceId AND a.fileType = @type
                """, new { instanceId, type = DicomAttachment });
            return row is { } f ? new StoredFile(f.Uuid, f.Uncompressed, f.Stored, f.Md5, f.Compressed != 0) : null;
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
            {
                var change = (ResourceLevel)level switch
                {
                    ResourceLevel.Patient => ChangeType.StablePatient,
                    ResourceLevel.Study => ChangeType.StableStudy,
                    _ => ChangeType.StableSeries,
                };
                _connection.Execute("UPDATE Resources SET isStable = 1 WHERE internalId = @id", new { id }, transaction);
                changes.Add(new Change(LogChange(change, id, (ResourceLevel)level, now, transaction), change, (ResourceLevel)level, publicId, now));
            }

            transaction.Commit();
            return changes;
        }
    }

    /// <summary>Whether a patient, study or series is stable (instances are always stable).</summary>
    public bool IsStable(string publicId)
    {
        lock (_lock)
            return _connection.ExecuteScalar<long?>("SELECT CASE WHEN resourceType = 3 THEN 1 ELSE isStable END FROM Resources WHERE publicId = @publicId", new { publicId }) == 1;
    }

    /// <summary>True when an attachment with this UUID is referenced by the index.</summary>
    public bool HasAttachment(string uuid)
    {
        lock (_lock)
            return _connection.ExecuteScalar<long>("SELECT COUNT(*) FROM AttachedFiles WHERE uuid = @uuid", new { uuid }) > 0;
    }

    /// <summary>
    /// The resources of a level whose DICOM identifier <paramref name="tag"/> (PatientID,
    /// StudyInstanceUID, AccessionNumber, SeriesInstanceUID, SOPInstanceUID) is exactly
    /// <paramref name="value"/>, oldest first.
    /// </summary>
    public IReadOnlyList<string> LookupIdentifier(ResourceLevel level, DicomTag tag, string value)
    {
        lock (_lock)
        {
            return [.. _connection.Query<string>("""
                SELECT r.publicId FROM DicomIdentifiers d JOIN Resources r ON r.internalId = d.id
                WHERE d.tag = @tag AND d.value = @value AND r.resourceType = @level ORDER BY r.internalId
                """, new { tag = (long)tag.Value, value, level = (int)level })];
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

    /// <summary>
    /// Deletes a resource and everything below it, then the ancestors left without children. Returns
    /// the files to remove (after the commit) and the nearest ancestor still there; null when unknown.
    /// </summary>
    public DeleteOutcome? Delete(string publicId)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            var row = _connection.QuerySingleOrDefault<(long Id, long? Parent)?>("SELECT internalId, parentId FROM Resources WHERE publicId = @publicId", new { publicId }, transaction);
            if (row is not { } resource)
                return null;
            var outcome = DeleteTree(resource.Id, resource.Parent, transaction);
            transaction.Commit();
            return outcome;
        }
    }

    // Deletes a resource with everything below it, then the ancestors left without children, in the
    // caller's transaction; returns the files to remove once it commits.
    private DeleteOutcome DeleteTree(long id, long? parentOfResource, SqliteTransaction transaction)
    {
        var files = _connection.Query<string>("""
            WITH RECURSIVE sub(id) AS (SELECT @id UNION ALL SELECT r.internalId FROM Resources r JOIN sub ON r.parentId = sub.id)
            SELECT a.uuid FROM AttachedFiles a JOIN sub ON a.id = sub.id
            """, new { id }, transaction).ToList();
        _connection.Execute("DELETE FROM Resources WHERE internalId = @id", new { id }, transaction);

        // Climb while the parent has no child left.
        (string, ResourceLevel)? remaining = null;
        var parent = parentOfResource;
        while (parent is { } parentId)
        {
            var up = _connection.QuerySingle<(long? Grandparent, string PublicId, long Level, long Children)>("""
                SELECT parentId, publicId, resourceType, (SELECT COUNT(*) FROM Resources c WHERE c.parentId = @parentId)
                FROM Resources WHERE internalId = @parentId
                """, new { parentId }, transaction);
            if (up.Children > 0)
            {
                remaining = (up.PublicId, (ResourceLevel)up.Level);
                break;
            }

            _connection.Execute("DELETE FROM Resources WHERE internalId = @parentId", new { parentId }, transaction);
            parent = up.Grandparent;
        }

        return new DeleteOutcome(files, remaining);
    }
}
