using System.Globalization;
using Dapper;
using DicomScript.Dicom.Data;
using DicomScript.Dicom.Dictionary;
using DicomScript.Storage.Identifiers;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DicomScript.Storage.Index;

/// <summary>
/// The index: patients, studies, series and instances with their parent links, main DICOM tags,
/// identifiers, metadata, attachments and the change log, in one SQLite file (WAL, synchronous
/// NORMAL: a committed transaction survives the process being killed). One connection behind a
/// lock for now; every store is one transaction.
/// </summary>
public sealed partial class SqliteIndex : IDisposable
{
    /// <summary>The attachment type of the DICOM file (Orthanc's FileContentType_Dicom).</summary>
    public const int DicomAttachment = 1;

    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    private readonly RowReaders _rows;

    private SqliteIndex(SqliteConnection connection)
    {
        _connection = connection;
        _rows = new RowReaders(connection);
        WatchCommits();
    }

    /// <summary>
    /// The page size of a new index file (an existing one keeps its own). SQLite's default, 4 KB,
    /// made each commit write every page it touched whole into the WAL, checksummed: a store or a
    /// deletion touches a dozen pages (the ends of each table and index) for a few hundred bytes of
    /// rows. With 1 KB pages the index's part of a store took ~18 % less time and of a deletion ~37 %
    /// less (10,000 stores and deletions, journaled ext4); lookups and C-FIND did not change.
    /// </summary>
    public const int NewIndexPageSize = 1024;

    /// <summary>
    /// The WAL's length, in bytes, at which a commit copies it into the database file. SQLite's
    /// default, 1,000 pages of 4 KB, made a checkpoint every ~30 instances stored, each rewriting the
    /// pages the instances since the last one had touched, inside a commit and so inside the index's
    /// lock: ~0.1 ms of every store's 0.4. Ten times longer, the pages written again and again (the
    /// ends of the tables and indexes) are copied once per checkpoint instead of ten times; the WAL
    /// file grows to ~40 MB and stays that size.
    /// </summary>
    public const int WalAutoCheckpointBytes = 40 << 20;

    /// <summary>
    /// Opens (creating when needed) <c>index.sqlite</c> in <paramref name="folder"/>. With
    /// <paramref name="durable"/>, each commit is synced to the disk (synchronous=FULL): it then
    /// survives a power loss, not only the process being killed.
    /// </summary>
    public static SqliteIndex Open(string folder, bool durable = false)
    {
        EnsureSqliteConfigured();
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "index.sqlite");
        // One connection, never busy (below): a locked file means another process, not a wait.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 1 }.ToString());
        connection.Open();
        // Exclusive locking, as Orthanc does: this process is the index's only user, so SQLite need
        // not take and release file locks and map the WAL's shared-memory index on every
        // transaction, and a second server on the same folder is refused instead of sharing it.
        try
        {
            connection.Execute("PRAGMA locking_mode=EXCLUSIVE");
            connection.Execute($"PRAGMA page_size={NewIndexPageSize}"); // before WAL: ignored by a file already made
            connection.Execute($"PRAGMA journal_mode=WAL; PRAGMA synchronous={(durable ? "FULL" : "NORMAL")}; PRAGMA foreign_keys=ON;");
            connection.Execute($"PRAGMA wal_autocheckpoint={WalAutoCheckpointBytes / connection.ExecuteScalar<long>("PRAGMA page_size")}");
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 5) // SQLITE_BUSY
        {
            connection.Dispose();
            throw new IOException($"The index {path} is in use by another process (another server with the same IndexDirectory?)", ex);
        }

        var version = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'GlobalProperties'") == 0
            ? null
            : connection.ExecuteScalar<string?>("SELECT value FROM GlobalProperties WHERE property = 1");
        if (int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var from) && from is >= 1 and < IndexSchema.Version)
        {
            // Each step from the version it upgrades, in order.
            using var transaction = connection.BeginTransaction();
            if (from < 2)
                connection.Execute(IndexSchema.MigrateFrom1, transaction: transaction);
            if (from < 3)
                connection.Execute(IndexSchema.MigrateFrom2, transaction: transaction);
            if (from < 4)
            {
                connection.Execute(IndexSchema.MigrateFrom3, transaction: transaction);
                AddFoldedIdentifiers(connection, transaction);
            }

            if (from < 5)
                connection.Execute(IndexSchema.MigrateFrom4, transaction: transaction);
            if (from < 6)
                connection.Execute(IndexSchema.MigrateFrom5, transaction: transaction);
            if (from < 7)
                connection.Execute(IndexSchema.MigrateFrom6, transaction: transaction);
            connection.Execute(IndexSchema.Create, transaction: transaction);
            if (from < 7)
                connection.Execute(IndexSchema.FinishFrom6, transaction: transaction);
            transaction.Commit();
            version = IndexSchema.Version.ToString(CultureInfo.InvariantCulture);
        }
        else if (version is not null && version != IndexSchema.Version.ToString(CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"{path}: index schema version {version}, this version of DicomScript reads {IndexSchema.Version}");
        }

        connection.Execute(IndexSchema.Create);
        if (version is null)
            connection.Execute("INSERT INTO GlobalProperties(property, value) VALUES (1, @v)", new { v = IndexSchema.Version.ToString(CultureInfo.InvariantCulture) });
        return new SqliteIndex(connection);
    }

    // Version 4's DicomIdentifiers.folded, filled in C#: SQLite's upper() knows only ASCII.
    private static void AddFoldedIdentifiers(SqliteConnection connection, SqliteTransaction transaction)
    {
        if (connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'DicomIdentifiers'", transaction: transaction) == 0)
            return; // made with the column by the schema
        connection.Execute("ALTER TABLE DicomIdentifiers ADD COLUMN folded TEXT", transaction: transaction);
        foreach (var (id, tag, value) in connection.Query<(long, long, string)>("SELECT id, tag, value FROM DicomIdentifiers", transaction: transaction).ToList())
            connection.Execute("UPDATE DicomIdentifiers SET folded = @folded WHERE id = @id AND tag = @tag", new { folded = FoldCase(value), id, tag }, transaction);
    }

    private static readonly Lazy<int> SqliteConfigured = new(() =>
    {
        // SQLite counts every allocation it makes, under a process-wide mutex, for statistics we
        // never read (sqlite3_memory_used): ~7 % of a store's and a delete's CPU. Off. SQLite takes
        // this only before its first use in the process; later (a test opened a connection first)
        // the call fails and SQLite keeps counting, which changes nothing else.
        Batteries_V2.Init();
        return raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0);
    });

    /// <summary>SQLite's result of switching its allocation statistics off (0 when done).</summary>
    internal static int EnsureSqliteConfigured() => SqliteConfigured.Value;

    /// <summary>An identifier as searches without case compare it (and the index keeps it, <c>folded</c>).</summary>
    public static string FoldCase(string value) => value.ToUpperInvariant();

    /// <summary>
    /// The value of one of SQLite's pragmas (journal_mode, wal_autocheckpoint, synchronous: 1 NORMAL,
    /// 2 FULL, durable...), as text.
    /// </summary>
    public string Pragma(string name)
    {
        if (string.IsNullOrEmpty(name) || !name.All(c => c is (>= 'a' and <= 'z') or '_'))
            throw new ArgumentException($"Not a pragma name: {name}", nameof(name));
        lock (_lock)
            return _connection.ExecuteScalar<string>($"PRAGMA {name}")!;
    }

    /// <summary>The current time in Orthanc's timestamp format.</summary>
    public static string Now() => Timestamp(DateTime.UtcNow);

    /// <summary>Orthanc's timestamp format: UTC, <c>YYYYMMDDTHHMMSS</c>.</summary>
    public static string Timestamp(DateTime utc) => utc.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        CloseQueuedWrites();
        _rows.Dispose();
        _connection.Dispose();
    }

    private static readonly Dictionary<ResourceLevel, DicomTag[]> Identifiers = new()
    {
        [ResourceLevel.Patient] = [DicomTags.PatientID],
        [ResourceLevel.Study] = [DicomTags.StudyInstanceUID, DicomTags.AccessionNumber],
        [ResourceLevel.Series] = [DicomTags.SeriesInstanceUID],
        [ResourceLevel.Instance] = [DicomTags.SOPInstanceUID],
    };
}
