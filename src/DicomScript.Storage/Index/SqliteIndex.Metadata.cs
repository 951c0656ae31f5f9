using System.Security.Cryptography;
using System.Text;
using Dapper;
using DicomScript.Storage.Identifiers;
using Microsoft.Data.Sqlite;

namespace DicomScript.Storage.Index;

// Metadata as the REST API reads and writes them, with Orthanc's revisions: every write of a value
// is a new revision; a writer that names the revision (and MD5) it read fails if another came since.
public sealed partial class SqliteIndex
{
    /// <summary>The first user metadata number; those below are the server's own and cannot be written from outside.</summary>
    public const int FirstUserMetadata = 1024;

    /// <summary>The metadata of a resource of <paramref name="level"/>, by number; null when there is no such resource at that level.</summary>
    public IReadOnlyList<(int Type, string Value)>? AllMetadata(string publicId, ResourceLevel level)
    {
        lock (_lock)
        {
            // Prepared: the Lua events read an instance's metadata for every OnStoredInstance that takes them.
            if (InternalIdAt(publicId, level) is not { } id)
                return null;
            var metadata = new List<(int Type, string Value)>();
            using var row = _rows.Read("SELECT type, value FROM Metadata WHERE id = @id ORDER BY type", ("@id", id));
            while (row.Read())
                metadata.Add(((int)row.Int64(0), row.String(1)));
            return metadata;
        }
    }

    /// <summary>
    /// One metadata value with its revision. Unknown resource (or another level's): <see cref="MetadataRead.UnknownResource"/>;
    /// absent value: null Value.
    /// </summary>
    public MetadataRead ReadMetadata(string publicId, ResourceLevel level, int type)
    {
        lock (_lock)
        {
            if (InternalIdAt(publicId, level) is not { } id)
                return MetadataRead.UnknownResource;
            return CurrentValue(id, type, null) is { } found ? new MetadataRead(true, found.Value, found.Revision) : new MetadataRead(true, null, 0);
        }
    }

    /// <summary>
    /// Writes a metadata value: revision 0 when new, the next one otherwise. With
    /// <paramref name="expected"/>, an existing value must still be at that revision with that MD5.
    /// A user metadata (number ≥ 1024) logs an UpdatedMetadata change.
    /// </summary>
    public MetadataWrite WriteMetadata(string publicId, int type, string value, MetadataRevision? expected)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            if (ResourceRow(publicId, transaction) is not { } found)
                return new MetadataWrite(MetadataWriteStatus.UnknownResource);
            var old = CurrentValue(found.Id, type, transaction);
            if (old is { } current && expected is { } check && !check.Matches(current.Value, current.Revision))
                return new MetadataWrite(MetadataWriteStatus.RevisionMismatch);
            var revision = old is { } previous ? previous.Revision + 1 : 0;
            _connection.Execute("INSERT OR REPLACE INTO Metadata(id, type, value, revision) VALUES (@id, @type, @value, @revision)",
                new { id = found.Id, type, value, revision }, transaction);
            if (type >= FirstUserMetadata)
                LogChange(ChangeType.UpdatedMetadata, found.Id, found.Level, Now());
            transaction.Commit();
            return new MetadataWrite(MetadataWriteStatus.Written, revision);
        }
    }

    /// <summary>Deletes a metadata value (checking <paramref name="expected"/> as <see cref="WriteMetadata"/> does).</summary>
    public MetadataWriteStatus DeleteMetadata(string publicId, int type, MetadataRevision? expected)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            if (ResourceRow(publicId, transaction) is not { } found)
                return MetadataWriteStatus.UnknownResource;
            if (CurrentValue(found.Id, type, transaction) is not { } current)
                return MetadataWriteStatus.NotFound;
            if (expected is { } check && !check.Matches(current.Value, current.Revision))
                return MetadataWriteStatus.RevisionMismatch;
            _connection.Execute("DELETE FROM Metadata WHERE id = @id AND type = @type", new { id = found.Id, type }, transaction);
            if (type >= FirstUserMetadata)
                LogChange(ChangeType.UpdatedMetadata, found.Id, found.Level, Now());
            transaction.Commit();
            return MetadataWriteStatus.Written;
        }
    }

    private (long Id, ResourceLevel Level)? ResourceRow(string publicId, SqliteTransaction transaction) =>
        _connection.QuerySingleOrDefault<(long Id, long Level)?>("SELECT internalId, resourceType FROM Resources WHERE publicId = @publicId", new { publicId }, transaction)
            is { } row ? (row.Id, (ResourceLevel)row.Level) : null;

    private (string Value, long Revision)? CurrentValue(long id, int type, SqliteTransaction? transaction) =>
        _connection.QuerySingleOrDefault<(string Value, long Revision)?>("SELECT value, revision FROM Metadata WHERE id = @id AND type = @type", new { id, type }, transaction);

    private long? InternalIdAt(string publicId, ResourceLevel level) =>
        (long?)_rows.Scalar("SELECT internalId FROM Resources WHERE publicId = @publicId AND resourceType = @level", ("@publicId", publicId), ("@level", (int)level));
}

/// <summary>A revision as an HTTP client names it (ETag <c>"revision-md5"</c>).</summary>
public readonly record struct MetadataRevision(long Revision, string Md5)
{
    /// <summary>The MD5 of a value as the ETag carries it: lowercase hex of its UTF-8 bytes.</summary>
    // MD5 because Orthanc's ETags use it: a change detector, not security.
#pragma warning disable CA5351
    public static string Md5Of(string value) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(value)));
#pragma warning restore CA5351

    public bool Matches(string value, long revision) => revision == Revision && Md5Of(value) == Md5;
}

/// <summary>A metadata read: whether the resource exists, and the value (null when absent) with its revision.</summary>
public sealed record MetadataRead(bool ResourceFound, string? Value, long Revision)
{
    public static MetadataRead UnknownResource { get; } = new(false, null, 0);
}

public enum MetadataWriteStatus
{
    Written,
    UnknownResource,
    NotFound,
    RevisionMismatch,
}

/// <summary>The outcome of a metadata write and the value's new revision.</summary>
public sealed record MetadataWrite(MetadataWriteStatus Status, long Revision = 0);
