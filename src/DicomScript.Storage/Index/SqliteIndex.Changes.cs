using Dapper;
using DicomScript.Dicom.Dictionary;
using DicomScript.Storage.Identifiers;

namespace DicomScript.Storage.Index;

// The change log and the log of exported resources, paged as Orthanc's /changes and /exports page them.
public sealed partial class SqliteIndex
{
    /// <summary>The change log after <paramref name="since"/>, at most <paramref name="limit"/> entries.</summary>
    public IReadOnlyList<Change> Changes(long since, int limit) => ReadChanges(since, limit).Entries;

    /// <summary>
    /// At most <paramref name="limit"/> changes after <paramref name="since"/>; Done when none is left
    /// after them; Last the last one's number, or the last number ever given when there is none.
    /// </summary>
    public LogPage<Change> ReadChanges(long since, int limit)
    {
        lock (_lock)
        {
            var rows = _connection.Query<(long Seq, long Type, long Level, string PublicId, string Date)>(
                $"{SelectChanges} WHERE c.seq > @since ORDER BY c.seq LIMIT @limit", new { since, limit = (long)limit + 1 }).Select(ToChange).ToList();
            return Page(rows, limit, whenEmpty: LastSequence("Changes"));
        }
    }

    /// <summary>The newest change (none when the log is empty), as <c>/changes?last</c> shows it.</summary>
    public LogPage<Change> LastChange()
    {
        lock (_lock)
        {
            var rows = _connection.Query<(long Seq, long Type, long Level, string PublicId, string Date)>(
                $"{SelectChanges} ORDER BY c.seq DESC LIMIT 1").Select(ToChange).ToList();
            return new LogPage<Change>(rows, true, rows.Count > 0 ? rows[0].Seq : LastSequence("Changes"));
        }
    }

    /// <summary>Empties the change log; numbering goes on (as Orthanc's DELETE /changes).</summary>
    public void ClearChanges()
    {
        lock (_lock)
            _connection.Execute("DELETE FROM Changes");
    }

    /// <summary>Records that a resource was sent to a modality or peer (when LogExportedResources is on).</summary>
    public void LogExport(ExportedResource export)
    {
        ArgumentNullException.ThrowIfNull(export);
        lock (_lock)
        {
            _connection.Execute("""
                INSERT INTO ExportedResources(resourceType, publicId, remoteModality, patientId, studyInstanceUid, seriesInstanceUid, sopInstanceUid, date)
                VALUES (@Level, @PublicId, @RemoteModality, @PatientId, @StudyInstanceUid, @SeriesInstanceUid, @SopInstanceUid, @Date)
                """, new
            {
                Level = (int)export.ResourceType, export.PublicId, export.RemoteModality, export.PatientId, export.StudyInstanceUid,
                export.SeriesInstanceUid, export.SopInstanceUid, export.Date,
            });
        }
    }

    /// <summary>
    /// Records that a resource was sent to <paramref name="remoteModality"/>, with the identifiers of
    /// its level and the levels above (PatientID, StudyInstanceUID...), as Orthanc logs exports.
    /// False when the resource is unknown.
    /// </summary>
    public bool LogExport(string publicId, string remoteModality)
    {
        List<(long Level, string? Value)> levels;
        lock (_lock)
        {
            levels = [.. _connection.Query<(long, string?)>("""
                WITH RECURSIVE up(id, parentId, level) AS (
                    SELECT internalId, parentId, resourceType FROM Resources WHERE publicId = @publicId
                    UNION ALL SELECT r.internalId, r.parentId, r.resourceType FROM Resources r JOIN up ON r.internalId = up.parentId)
                SELECT level, (SELECT value FROM MainDicomTags WHERE id = up.id AND tag = CASE level
                    WHEN 0 THEN @patient WHEN 1 THEN @study WHEN 2 THEN @series ELSE @instance END) FROM up
                """, new
            {
                publicId, patient = (long)DicomTags.PatientID.Value, study = (long)DicomTags.StudyInstanceUID.Value,
                series = (long)DicomTags.SeriesInstanceUID.Value, instance = (long)DicomTags.SOPInstanceUID.Value,
            })];
        }

        if (levels.Count == 0)
            return false;
        string? At(ResourceLevel level) => levels.FirstOrDefault(l => l.Level == (long)level).Value;
        LogExport(new ExportedResource(0, (ResourceLevel)levels[0].Level, publicId, remoteModality, At(ResourceLevel.Patient), At(ResourceLevel.Study),
            At(ResourceLevel.Series), At(ResourceLevel.Instance), Now()));
        return true;
    }

    /// <summary>The exports after <paramref name="since"/>, paged like <see cref="ReadChanges"/>; Last is <paramref name="since"/> when there is none (as in Orthanc).</summary>
    public LogPage<ExportedResource> ReadExports(long since, int limit)
    {
        lock (_lock)
        {
            var rows = _connection.Query<ExportRow>($"{SelectExports} WHERE seq > @since ORDER BY seq LIMIT @limit", new { since, limit = (long)limit + 1 })
                .Select(r => r.ToExport()).ToList();
            return Page(rows, limit, whenEmpty: since);
        }
    }

    /// <summary>The newest export, as <c>/exports?last</c> shows it.</summary>
    public LogPage<ExportedResource> LastExport()
    {
        lock (_lock)
        {
            var rows = _connection.Query<ExportRow>($"{SelectExports} ORDER BY seq DESC LIMIT 1").Select(r => r.ToExport()).ToList();
            return new LogPage<ExportedResource>(rows, true, rows.Count > 0 ? rows[0].Seq : 0);
        }
    }

    public void ClearExports()
    {
        lock (_lock)
            _connection.Execute("DELETE FROM ExportedResources");
    }

    private const string SelectChanges = """
        SELECT c.seq, c.changeType, c.resourceType, r.publicId, c.date FROM Changes c JOIN Resources r ON r.internalId = c.internalId
        """;

    private const string SelectExports = """
        SELECT seq AS Seq, resourceType AS Level, publicId AS PublicId, remoteModality AS RemoteModality, patientId AS PatientId,
            studyInstanceUid AS StudyInstanceUid, seriesInstanceUid AS SeriesInstanceUid, sopInstanceUid AS SopInstanceUid, date AS Date
        FROM ExportedResources
        """;

    // One row more than the limit was read: its presence says the page is not the last.
    private static LogPage<T> Page<T>(List<T> rows, int limit, long whenEmpty)
        where T : ILogEntry
    {
        var done = rows.Count <= limit;
        if (!done)
            rows.RemoveAt(rows.Count - 1);
        return new LogPage<T>(rows, done, rows.Count > 0 ? rows[^1].Seq : whenEmpty);
    }

    // The last number AUTOINCREMENT gave in a table (0 before the first), deleted rows included.
    // Prepared: the delete path asks on every deletion.
    private long LastSequence(string table) =>
        (long?)_rows.Scalar("SELECT seq FROM sqlite_sequence WHERE name = @table", ("@table", table)) ?? 0;

    private static Change ToChange((long Seq, long Type, long Level, string PublicId, string Date) row) =>
        new(row.Seq, (ChangeType)row.Type, (ResourceLevel)row.Level, row.PublicId, row.Date);

    private sealed record ExportRow(long Seq, long Level, string PublicId, string RemoteModality, string? PatientId, string? StudyInstanceUid,
        string? SeriesInstanceUid, string? SopInstanceUid, string Date)
    {
        public ExportedResource ToExport() =>
            new(Seq, (ResourceLevel)Level, PublicId, RemoteModality, PatientId, StudyInstanceUid, SeriesInstanceUid, SopInstanceUid, Date);
    }
}
