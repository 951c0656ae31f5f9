using Dapper;
using DicomScript.Storage.Identifiers;
using Microsoft.Data.Sqlite;

namespace DicomScript.Storage.Index;

/// <summary>
/// How much the archive may hold (Orthanc's MaximumStorageSize, in bytes here, and
/// MaximumPatientCount; 0 = no limit) and whether a full archive recycles its oldest patients or
/// refuses new instances (MaximumStorageMode "Reject").
/// </summary>
public sealed record StorageLimits(long MaximumBytes, long MaximumPatients, bool Reject)
{
    public static StorageLimits None { get; } = new(0, 0, false);
}

/// <summary>The archive is full and nothing may be recycled (Orthanc's FullStorage error).</summary>
public sealed class StorageFullException : Exception
{
    public StorageFullException(string message)
        : base(message)
    {
    }

    public StorageFullException()
    {
    }

    public StorageFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

// Recycling and protection. As in Orthanc's SQLite index, a patient is protected exactly when it is
// absent from PatientRecyclingOrder; the order there is that of each patient's latest new instance.
public sealed partial class SqliteIndex
{
    /// <summary>Whether a patient is protected from recycling; null when the patient is unknown.</summary>
    public bool? IsProtected(string patientId)
    {
        lock (_lock)
        {
            var id = PatientInternalId(patientId, null);
            return id is null ? null : _connection.ExecuteScalar<long>("SELECT COUNT(*) FROM PatientRecyclingOrder WHERE patientId = @id", new { id }) == 0;
        }
    }

    /// <summary>Protects a patient from recycling, or makes it the most recent candidate again; false when unknown.</summary>
    public bool SetProtected(string patientId, bool isProtected)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            if (PatientInternalId(patientId, transaction) is not { } id)
                return false;
            _connection.Execute("DELETE FROM PatientRecyclingOrder WHERE patientId = @id", new { id }, transaction);
            if (!isProtected)
                _connection.Execute("INSERT INTO PatientRecyclingOrder(patientId) VALUES (@id)", new { id }, transaction);
            transaction.Commit();
            return true;
        }
    }

    /// <summary>
    /// Recycles now what the limits no longer allow (Orthanc does this at start, when a limit was
    /// lowered); the files to remove after this call. In Reject mode nothing is ever deleted
    /// automatically: new instances are refused until room is made.
    /// </summary>
    public IReadOnlyList<string> Recycle(StorageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (limits.Reject)
            return [];
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            var files = MakeRoom(limits, 0, null, transaction);
            transaction.Commit();
            return files;
        }
    }

    // Orthanc's rule, inside the store transaction (the new patient already counts, the new file
    // not yet): while the archive is over a limit, delete the patient least recently added to,
    // never the one being stored into nor a protected one. Throws when no patient is left to
    // recycle, or at once in Reject mode; the caller's transaction then rolls back.
    private List<string> MakeRoom(StorageLimits limits, long addedBytes, long? patientToKeep, SqliteTransaction transaction)
    {
        if (limits.MaximumBytes > 0 && limits.MaximumBytes < addedBytes)
            throw new StorageFullException($"an instance of {addedBytes} bytes cannot fit in a storage area limited to {limits.MaximumBytes} bytes");
        var files = new List<string>();
        while (IsRecyclingNeeded(limits, addedBytes, transaction))
        {
            if (limits.Reject)
                throw new StorageFullException("the storage area is full (MaximumStorageMode is Reject)");
            var oldest = _connection.ExecuteScalar<long?>(
                "SELECT patientId FROM PatientRecyclingOrder WHERE patientId IS NOT @keep ORDER BY seq LIMIT 1", new { keep = patientToKeep }, transaction);
            if (oldest is not { } patient)
                throw new StorageFullException("the storage area is full and no other patient may be recycled (all protected)");
            files.AddRange(DeleteTree(patient, null).FileUuids);
        }

        return files;
    }

    private bool IsRecyclingNeeded(StorageLimits limits, long addedBytes, SqliteTransaction transaction)
    {
        if (limits.MaximumBytes > 0
            && _connection.ExecuteScalar<long?>("SELECT SUM(storedSize) FROM AttachedFiles", transaction: transaction) > limits.MaximumBytes - addedBytes)
            return true;
        return limits.MaximumPatients > 0
               && _connection.ExecuteScalar<long>("SELECT COUNT(*) FROM Resources WHERE resourceType = @patient", new { patient = (int)ResourceLevel.Patient }, transaction) > limits.MaximumPatients;
    }

    private long? PatientInternalId(string patientId, SqliteTransaction? transaction) =>
        _connection.ExecuteScalar<long?>("SELECT internalId FROM Resources WHERE publicId = @patientId AND resourceType = @patient",
            new { patientId, patient = (int)ResourceLevel.Patient }, transaction);
}
