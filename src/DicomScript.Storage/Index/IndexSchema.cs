namespace DicomScript.Storage.Index;

/// <summary>The SQLite schema of the index (modelled on Orthanc's, database version 6) and its version.</summary>
internal static class IndexSchema
{
    /// <summary>
    /// 2: metadata revisions; changes refer to their resource (dropped with it, as in Orthanc);
    /// exported resources. 3: the jobs engine's saved jobs. 4: identifiers also upper-cased
    /// (<c>folded</c>), for searches without case through the index. 5: the event log (what Orthanc
    /// signals without logging: deletions, copies already stored, for the Lua events) and the
    /// key-value stores of Lua's StoreKeyValue (both made by <see cref="Create"/>). 6: main tags
    /// kept in their resource's order (a table without rowid, keyed by resource and tag) and indexed
    /// by tag and value, so that reading one tag of many resources (a C-FIND's keys, the values a
    /// constraint tests) reads that index alone. 7: metadata, identifiers and attachments also kept
    /// without rowid, in their resource's order: a table with a rowid and a primary key is two trees,
    /// and storing or deleting an instance wrote pages of both (each SQLite page written costs a WAL
    /// frame: fewer trees, fewer frames).
    /// </summary>
    public const int Version = 7;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS GlobalProperties(property INTEGER PRIMARY KEY, value TEXT);
        CREATE TABLE IF NOT EXISTS Resources(
            internalId INTEGER PRIMARY KEY AUTOINCREMENT,
            resourceType INTEGER NOT NULL,
            publicId TEXT NOT NULL UNIQUE,
            parentId INTEGER REFERENCES Resources(internalId) ON DELETE CASCADE,
            isStable INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS ChildrenIndex ON Resources(parentId);
        CREATE INDEX IF NOT EXISTS ResourceTypeIndex ON Resources(resourceType);
        CREATE TABLE IF NOT EXISTS MainDicomTags(
            id INTEGER REFERENCES Resources(internalId) ON DELETE CASCADE,
            tag INTEGER, value TEXT, PRIMARY KEY(id, tag)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS DicomIdentifiers(
            id INTEGER REFERENCES Resources(internalId) ON DELETE CASCADE,
            tag INTEGER, value TEXT, folded TEXT, PRIMARY KEY(id, tag)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS DicomIdentifiersValues ON DicomIdentifiers(tag, value);
        CREATE INDEX IF NOT EXISTS DicomIdentifiersFolded ON DicomIdentifiers(tag, folded);
        CREATE INDEX IF NOT EXISTS MainDicomTagsByValue ON MainDicomTags(tag, value);
        CREATE TABLE IF NOT EXISTS Metadata(
            id INTEGER REFERENCES Resources(internalId) ON DELETE CASCADE,
            type INTEGER, value TEXT, revision INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(id, type)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS AttachedFiles(
            id INTEGER REFERENCES Resources(internalId) ON DELETE CASCADE,
            fileType INTEGER, uuid TEXT NOT NULL, storedSize INTEGER, uncompressedSize INTEGER,
            compressed INTEGER, uncompressedMd5 TEXT, PRIMARY KEY(id, fileType)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS AttachedFilesUuid ON AttachedFiles(uuid);
        CREATE TABLE IF NOT EXISTS Changes(
            seq INTEGER PRIMARY KEY AUTOINCREMENT, changeType INTEGER,
            internalId INTEGER REFERENCES Resources(internalId) ON DELETE CASCADE, resourceType INTEGER, date TEXT);
        CREATE INDEX IF NOT EXISTS ChangesIndex ON Changes(internalId);
        CREATE TABLE IF NOT EXISTS ExportedResources(
            seq INTEGER PRIMARY KEY AUTOINCREMENT, resourceType INTEGER, publicId TEXT, remoteModality TEXT,
            patientId TEXT, studyInstanceUid TEXT, seriesInstanceUid TEXT, sopInstanceUid TEXT, date TEXT);
        CREATE TABLE IF NOT EXISTS PatientRecyclingOrder(
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            patientId INTEGER UNIQUE REFERENCES Resources(internalId) ON DELETE CASCADE);
        CREATE TABLE IF NOT EXISTS Jobs(id TEXT PRIMARY KEY, content TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS EventLog(
            seq INTEGER PRIMARY KEY AUTOINCREMENT, afterChange INTEGER NOT NULL, changeType INTEGER, resourceType INTEGER,
            publicId TEXT NOT NULL, date TEXT);
        CREATE TABLE IF NOT EXISTS KeyValues(storeId TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY(storeId, key));
        """;

    /// <summary>
    /// From version 1: metadata gain a revision (0), changes their resource's internal id (the
    /// entries of resources deleted since are dropped; the sequence goes on where it was).
    /// </summary>
    public const string MigrateFrom1 = """
        ALTER TABLE Metadata ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE Changes2(
            seq INTEGER PRIMARY KEY AUTOINCREMENT, changeType INTEGER,
            internalId INTEGER REFERENCES Resources(internalId) ON DELETE CASCADE, resourceType INTEGER, date TEXT);
        INSERT INTO Changes2(seq, changeType, internalId, resourceType, date)
            SELECT c.seq, c.changeType, r.internalId, c.resourceType, c.date FROM Changes c JOIN Resources r ON r.publicId = c.publicId;
        UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'Changes') WHERE name = 'Changes2';
        DROP TABLE Changes;
        ALTER TABLE Changes2 RENAME TO Changes;
        UPDATE GlobalProperties SET value = '2' WHERE property = 1;
        """;

    /// <summary>From version 2: the Jobs table (made by <see cref="Create"/>) is all that is new.</summary>
    public const string MigrateFrom2 = "UPDATE GlobalProperties SET value = '3' WHERE property = 1;";

    /// <summary>
    /// From version 3: DicomIdentifiers gains its <c>folded</c> column (added and filled by the
    /// caller, with the upper-casing searches use; its index is made by <see cref="Create"/>).
    /// </summary>
    public const string MigrateFrom3 = "UPDATE GlobalProperties SET value = '4' WHERE property = 1;";

    /// <summary>From version 4: the EventLog and KeyValues tables (made by <see cref="Create"/>) are all that is new.</summary>
    public const string MigrateFrom4 = "UPDATE GlobalProperties SET value = '5' WHERE property = 1;";

    /// <summary>
    /// From version 5: MainDicomTags rebuilt without rowid (its new index is made by
    /// <see cref="Create"/>); an index from version 1 has no such table yet, <see cref="Create"/> makes it.
    /// </summary>
    public const string MigrateFrom5 = """
        DROP INDEX IF EXISTS MainDicomTagsByTag;
        CREATE TABLE IF NOT EXISTS MainDicomTags(id INTEGER, tag INTEGER, value TEXT);
        ALTER TABLE MainDicomTags RENAME TO MainDicomTagsVersion5;
        CREATE TABLE MainDicomTags(
            id INTEGER REFERENCES Resources(internalId) ON DELETE CASCADE,
            tag INTEGER, value TEXT, PRIMARY KEY(id, tag)) WITHOUT ROWID;
        INSERT INTO MainDicomTags(id, tag, value) SELECT id, tag, value FROM MainDicomTagsVersion5 ORDER BY id, tag;
        DROP TABLE MainDicomTagsVersion5;
        UPDATE GlobalProperties SET value = '6' WHERE property = 1;
        """;

    /// <summary>
    /// From version 6, first half: the tables with rowids are set aside with their indexes dropped (an
    /// index from before identifiers or attachments existed gets empty ones to set aside);
    /// <see cref="Create"/> then makes them anew, without rowid, and <see cref="FinishFrom6"/> fills them.
    /// </summary>
    public const string MigrateFrom6 = """
        CREATE TABLE IF NOT EXISTS DicomIdentifiers(id INTEGER, tag INTEGER, value TEXT, folded TEXT);
        CREATE TABLE IF NOT EXISTS AttachedFiles(id INTEGER, fileType INTEGER, uuid TEXT, storedSize INTEGER, uncompressedSize INTEGER, compressed INTEGER, uncompressedMd5 TEXT);
        DROP INDEX IF EXISTS DicomIdentifiersValues;
        DROP INDEX IF EXISTS DicomIdentifiersFolded;
        DROP INDEX IF EXISTS AttachedFilesUuid;
        ALTER TABLE Metadata RENAME TO MetadataVersion6;
        ALTER TABLE DicomIdentifiers RENAME TO DicomIdentifiersVersion6;
        ALTER TABLE AttachedFiles RENAME TO AttachedFilesVersion6;
        """;

    /// <summary>From version 6, second half: the rows copied in key order, the old tables dropped.</summary>
    public const string FinishFrom6 = """
        INSERT INTO Metadata(id, type, value, revision) SELECT id, type, value, revision FROM MetadataVersion6 ORDER BY id, type;
        INSERT INTO DicomIdentifiers(id, tag, value, folded) SELECT id, tag, value, folded FROM DicomIdentifiersVersion6 ORDER BY id, tag;
        INSERT INTO AttachedFiles(id, fileType, uuid, storedSize, uncompressedSize, compressed, uncompressedMd5)
            SELECT id, fileType, uuid, storedSize, uncompressedSize, compressed, uncompressedMd5 FROM AttachedFilesVersion6 ORDER BY id, fileType;
        DROP TABLE MetadataVersion6;
        DROP TABLE DicomIdentifiersVersion6;
        DROP TABLE AttachedFilesVersion6;
        UPDATE GlobalProperties SET value = '7' WHERE property = 1;
        """;
}
