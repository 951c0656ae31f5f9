namespace DicomScript.Storage.Index;

/// <summary>The SQLite schema of the index (modelled on Orthanc's, database version 6) and its version.</summary>
internal static class IndexSchema
{
    public const int Version = 1;

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
            tag INTEGER, value TEXT, PRIMARY KEY(id, tag));
        CREATE TABLE IF NOT EXISTS DicomIdentifiers(
            id INTEGER REFERENCES Resources(internalId) ON DELETE CASCADE,
            tag INTEGER, value TEXT, PRIMARY KEY(id, tag));
        CREATE INDEX IF NOT EXISTS DicomIdentifiersValues ON DicomIdentifiers(tag, value);
        CREATE INDEX IF NOT EXISTS MainDicomTagsByTag ON MainDicomTags(tag);
        CREATE TABLE IF NOT EXISTS Metadata(
            id INTEGER REFERENCES Resources(internalId) ON DELETE CASCADE,
            type INTEGER, value TEXT, PRIMARY KEY(id, type));
        CREATE TABLE IF NOT EXISTS AttachedFiles(
            id INTEGER REFERENCES Resources(internalId) ON DELETE CASCADE,
            fileType INTEGER, uuid TEXT NOT NULL, storedSize INTEGER, uncompressedSize INTEGER,
            compressed INTEGER, uncompressedMd5 TEXT, PRIMARY KEY(id, fileType));
        CREATE INDEX IF NOT EXISTS AttachedFilesUuid ON AttachedFiles(uuid);
        CREATE TABLE IF NOT EXISTS Changes(
            seq INTEGER PRIMARY KEY AUTOINCREMENT, changeType INTEGER, resourceType INTEGER,
            publicId TEXT, date TEXT);
        CREATE TABLE IF NOT EXISTS PatientRecyclingOrder(
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            patientId INTEGER UNIQUE REFERENCES Resources(internalId) ON DELETE CASCADE);
        """;
}
