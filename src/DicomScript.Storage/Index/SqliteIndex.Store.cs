using Dapper;
using DicomScript.Storage.Identifiers;
using Microsoft.Data.Sqlite;

namespace DicomScript.Storage.Index;

// Storing an instance: the resources it creates, their tags, metadata, attachment and changes, in one transaction.
public sealed partial class SqliteIndex
{
    /// <summary>
    /// Records a new instance. With <paramref name="overwrite"/> false a second copy of the same
    /// instance changes nothing (AlreadyStored); with true it replaces the first, whose files the
    /// outcome names for removal after the commit.
    /// </summary>
    public StoreOutcome Store(InstanceToIndex instance, bool overwrite, StorageLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var ids = instance.Identifiers;
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            IReadOnlyList<string> replaced = [];
            if (InternalIdOf(ids.InstanceHash) is not null)
            {
                if (!overwrite)
                {
                    LogAlreadyStored(ids.InstanceHash);
                    CommitWithQueuedWrites(transaction);
                    return new StoreOutcome(StoreStatus.AlreadyStored, ids.InstanceHash);
                }

                // As Orthanc: the old copy is deleted as a DELETE would delete it, with the parents it
                // leaves empty and their changes, so the copy stored now logs NewSeries, NewStudy and
                // NewPatient again and the next stable events are the only ones in /changes.
                replaced = DeleteByPublicId(ids.InstanceHash)!.FileUuids;
            }

            var now = Now();
            var (patient, newPatient) = GetOrCreate(ResourceLevel.Patient, ids.PatientHash, null, instance);
            var (study, newStudy) = GetOrCreate(ResourceLevel.Study, ids.StudyHash, patient, instance);
            var (series, newSeries) = GetOrCreate(ResourceLevel.Series, ids.SeriesHash, study, instance);
            var (instanceId, _) = GetOrCreate(ResourceLevel.Instance, ids.InstanceHash, series, instance);

            // Logged bottom-up, as Orthanc logs them (clients paging /changes see the same sequence).
            LogChange(ChangeType.NewInstance, instanceId, ResourceLevel.Instance, now);
            if (newSeries)
                LogChange(ChangeType.NewSeries, series, ResourceLevel.Series, now);
            if (newStudy)
                LogChange(ChangeType.NewStudy, study, ResourceLevel.Study, now);
            if (newPatient)
                LogChange(ChangeType.NewPatient, patient, ResourceLevel.Patient, now);

            foreach (var (type, value) in instance.Metadata)
                SetMetadata(instanceId, type, value);
            if (newSeries)
            {
                foreach (var (type, value) in instance.SeriesMetadata)
                    SetMetadata(series, type, value);
            }

            foreach (var (level, metadata) in instance.LevelMetadata)
            {
                var resource = level switch
                {
                    ResourceLevel.Patient => patient,
                    ResourceLevel.Study => study,
                    ResourceLevel.Series => series,
                    _ => instanceId,
                };
                foreach (var (type, value) in metadata)
                    SetMetadata(resource, type, value);
            }

            foreach (var parent in new[] { patient, study, series })
                SetMetadata(parent, (int)MetadataType.LastUpdate, now);

            // As Orthanc: the count this instance announces (not the series') decides completeness.
            if (instance.ExpectedInstances is { } expected && SeriesStatus(series, expected, transaction) == "Complete")
            {
                LogChange(ChangeType.CompletedSeries, series, ResourceLevel.Series, now);
            }

            // A new instance makes its series, study and patient unstable again (rows already so are
            // left alone: an update writes its page even when the value does not change).
            _rows.Execute("UPDATE Resources SET isStable = 0 WHERE internalId IN (@patient, @study, @series) AND isStable <> 0",
                ("@patient", patient), ("@study", study), ("@series", series));
            var file = instance.Dicom;
            var recycled = MakeRoom(limits ?? StorageLimits.None, file.StoredSize, patient, transaction);
            _rows.Execute("""
                INSERT INTO AttachedFiles(id, fileType, uuid, storedSize, uncompressedSize, compressed, uncompressedMd5)
                VALUES (@instanceId, @type, @uuid, @stored, @uncompressed, @compressed, @md5)
                """, ("@instanceId", instanceId), ("@type", DicomAttachment), ("@uuid", file.Uuid), ("@stored", file.StoredSize),
                ("@uncompressed", file.UncompressedSize), ("@compressed", file.Compressed ? 1 : 0), ("@md5", file.UncompressedMd5));

            // Patients are recycled oldest first: a new instance makes its patient the most recent,
            // unless it is protected (absent from the order), which it stays, or already the most
            // recent (the common case, instances of one patient arriving together: no write then). A
            // new patient is neither (its internal id was never used before), so it is not looked up.
            var alreadyMostRecent = !newPatient && (long?)_rows.Scalar("SELECT patientId FROM PatientRecyclingOrder ORDER BY seq DESC LIMIT 1") == patient;
            var protectedPatient = !newPatient && !alreadyMostRecent
                && (long)_rows.Scalar("SELECT COUNT(*) FROM PatientRecyclingOrder WHERE patientId = @patient", ("@patient", patient))! == 0;
            if (!alreadyMostRecent && !protectedPatient)
            {
                _rows.Execute("DELETE FROM PatientRecyclingOrder WHERE patientId = @patient", ("@patient", patient));
                _rows.Execute("INSERT INTO PatientRecyclingOrder(patientId) VALUES (@patient)", ("@patient", patient));
            }

            CommitWithQueuedWrites(transaction);
            return new StoreOutcome(StoreStatus.Success, ids.InstanceHash) { ReplacedFileUuids = replaced, RecycledFileUuids = recycled };
        }
    }

    private long? InternalIdOf(string publicId) =>
        (long?)_rows.Scalar("SELECT internalId FROM Resources WHERE publicId = @publicId", ("@publicId", publicId));

    // The resource's internal id, and whether this call created it.
    private (long Id, bool Created) GetOrCreate(ResourceLevel level, string publicId, long? parent, InstanceToIndex instance)
    {
        if (InternalIdOf(publicId) is { } existing)
            return (existing, false);

        var id = (long)_rows.Scalar("INSERT INTO Resources(resourceType, publicId, parentId) VALUES (@level, @publicId, @parent) RETURNING internalId",
            ("@level", (int)level), ("@publicId", publicId), ("@parent", parent))!;
        foreach (var (tag, value) in StoredTags(instance, level))
            _rows.Execute("INSERT INTO MainDicomTags(id, tag, value) VALUES (@id, @tag, @value)", ("@id", id), ("@tag", (long)tag.Value), ("@value", value));
        foreach (var tag in Identifiers[level])
        {
            if (instance.MainTags.GetValueOrDefault(level)?.TryGetValue(tag, out var value) == true)
                _rows.Execute("INSERT INTO DicomIdentifiers(id, tag, value, folded) VALUES (@id, @tag, @value, @folded)",
                    ("@id", id), ("@tag", (long)tag.Value), ("@value", value), ("@folded", FoldCase(value)));
        }

        return (id, true);
    }

    // As in Orthanc, a study also keeps a copy of its patient's main tags as its first instance
    // had them: lookups below the patient level match those, since one patient ID may carry
    // different names in different studies.
    private static IEnumerable<KeyValuePair<Dicom.Data.DicomTag, string>> StoredTags(InstanceToIndex instance, ResourceLevel level)
    {
        var own = instance.MainTags.GetValueOrDefault(level) ?? new Dictionary<Dicom.Data.DicomTag, string>();
        return level == ResourceLevel.Study && instance.MainTags.GetValueOrDefault(ResourceLevel.Patient) is { } patient
            ? own.Concat(patient)
            : own;
    }

    // Each overwrite is a new revision of the value (Orthanc's ETag of a metadata counts them).
    private void SetMetadata(long id, int type, string value) =>
        _rows.Execute("""
            INSERT INTO Metadata(id, type, value) VALUES (@id, @type, @value)
            ON CONFLICT(id, type) DO UPDATE SET value = excluded.value, revision = revision + 1
            """, ("@id", id), ("@type", type), ("@value", value));

    // Returns the change's number.
    private long LogChange(ChangeType change, long id, ResourceLevel level, string now)
    {
        _eventsLogged = true;
        return (long)_rows.Scalar("INSERT INTO Changes(changeType, internalId, resourceType, date) VALUES (@change, @id, @level, @now) RETURNING seq",
            ("@change", (int)change), ("@id", id), ("@level", (int)level), ("@now", now))!;
    }

    /// <summary>
    /// Orthanc's series status against an expected count: "Unknown" when an IndexInSeries is not an
    /// integer, "Inconsistent" when one is out of 1..expected or repeated, "Complete" when every
    /// index is there, else "Missing". Instances without IndexInSeries are not counted (as in Orthanc).
    /// </summary>
    private string SeriesStatus(long seriesId, long expected, SqliteTransaction? transaction)
    {
        var values = _connection.Query<string>("""
            SELECT m.value FROM Resources r JOIN Metadata m ON m.id = r.internalId AND m.type = @type WHERE r.parentId = @seriesId
            """, new { type = (int)MetadataType.IndexInSeries, seriesId }, transaction);
        var seen = new HashSet<long>();
        foreach (var value in values)
        {
            if (!long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var index))
                return "Unknown";
            if (index < 1 || index > expected || !seen.Add(index))
                return "Inconsistent";
        }

        return seen.Count == expected ? "Complete" : "Missing";
    }

    /// <summary>A series' status (see Orthanc's /series/{id} Status); "Unknown" without an ExpectedNumberOfInstances.</summary>
    public string SeriesStatus(string seriesPublicId)
    {
        lock (_lock)
        {
            var row = _connection.QuerySingleOrDefault<(long Id, string? Expected)?>("""
                SELECT r.internalId, m.value FROM Resources r LEFT JOIN Metadata m ON m.id = r.internalId AND m.type = @type
                WHERE r.publicId = @seriesPublicId
                """, new { type = (int)MetadataType.ExpectedNumberOfInstances, seriesPublicId });
            return row is { } series && long.TryParse(series.Expected, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var expected)
                ? SeriesStatus(series.Id, expected, null)
                : "Unknown";
        }
    }
}
