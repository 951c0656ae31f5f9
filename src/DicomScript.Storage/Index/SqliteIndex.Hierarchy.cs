using Dapper;
using DicomScript.Storage.Identifiers;

namespace DicomScript.Storage.Index;

// Walking the patient/study/series/instance tree one step at a time, and what a subtree holds.
public sealed partial class SqliteIndex
{
    /// <summary>The level of a resource and its children in the order they were created; null when it is unknown.</summary>
    public (ResourceLevel Level, IReadOnlyList<string> Children)? Children(string publicId)
    {
        lock (_lock)
        {
            var resource = _connection.QuerySingleOrDefault<(long Id, long Level)?>("SELECT internalId, resourceType FROM Resources WHERE publicId = @publicId", new { publicId });
            if (resource is not { } found)
                return null;
            return ((ResourceLevel)found.Level, [.. _connection.Query<string>("SELECT publicId FROM Resources WHERE parentId = @id ORDER BY internalId", new { id = found.Id })]);
        }
    }

    /// <summary>False when the resource is unknown; else its parent (null for a patient).</summary>
    public bool TryGetParent(string publicId, out string? parent)
    {
        lock (_lock)
        {
            var row = _connection.QuerySingleOrDefault<(long Id, string? Parent)?>(
                "SELECT r.internalId, p.publicId FROM Resources r LEFT JOIN Resources p ON p.internalId = r.parentId WHERE r.publicId = @publicId", new { publicId });
            parent = row?.Parent;
            return row is not null;
        }
    }

    /// <summary>What a resource and everything below it hold (counts and attachment sizes); null when it is unknown.</summary>
    public ResourceStatistics? StatisticsOf(string publicId)
    {
        lock (_lock)
        {
            var rows = _connection.Query<(long Level, long Count, long? Stored, long? Uncompressed, long? DicomStored, long? DicomUncompressed)>("""
                WITH RECURSIVE sub(id, level) AS (
                    SELECT internalId, resourceType FROM Resources WHERE publicId = @publicId
                    UNION ALL SELECT r.internalId, r.resourceType FROM Resources r JOIN sub ON r.parentId = sub.id)
                SELECT sub.level, COUNT(DISTINCT sub.id), SUM(a.storedSize), SUM(a.uncompressedSize),
                    SUM(CASE WHEN a.fileType = @dicom THEN a.storedSize END), SUM(CASE WHEN a.fileType = @dicom THEN a.uncompressedSize END)
                FROM sub LEFT JOIN AttachedFiles a ON a.id = sub.id GROUP BY sub.level ORDER BY sub.level
                """, new { publicId, dicom = DicomAttachment }).ToList();
            if (rows.Count == 0)
                return null;
            long CountOf(ResourceLevel level) => rows.Where(r => r.Level == (int)level).Sum(r => r.Count);
            return new ResourceStatistics(
                (ResourceLevel)rows[0].Level, CountOf(ResourceLevel.Study), CountOf(ResourceLevel.Series), CountOf(ResourceLevel.Instance),
                rows.Sum(r => r.Stored ?? 0), rows.Sum(r => r.Uncompressed ?? 0), rows.Sum(r => r.DicomStored ?? 0), rows.Sum(r => r.DicomUncompressed ?? 0));
        }
    }
}
