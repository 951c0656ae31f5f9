using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace DicomScript.Storage.Index;

/// <summary>Orthanc's numbers for the global properties we keep (1 is the schema version).</summary>
public enum GlobalProperty
{
    /// <summary>The counter behind the "AnonymizedN" patient names.</summary>
    AnonymizationSequence = 3,

    /// <summary>The DicomModalities as a JSON object, when DicomModalitiesInDatabase.</summary>
    Modalities = 20,

    /// <summary>The OrthancPeers as a JSON object, when OrthancPeersInDatabase.</summary>
    Peers = 21,

    /// <summary>Ours: the last change the Lua event dispatcher delivered (it resumes after it).</summary>
    LuaEventsDelivered = 1001,

    /// <summary>Ours: the last entry of the event log (deletions...) the Lua event dispatcher delivered.</summary>
    LuaLoggedEventsDelivered = 1002,
}

// Global properties: counters and settings of the whole archive, in the GlobalProperties table.
public sealed partial class SqliteIndex
{
    /// <summary>Adds one to a counter (absent counts as 0) and returns the new value, in one transaction.</summary>
    public long IncrementGlobalSequence(GlobalProperty property)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            var current = _connection.ExecuteScalar<string?>("SELECT value FROM GlobalProperties WHERE property = @property", new { property = (int)property }, transaction);
            var next = (current is null ? 0 : long.Parse(current, CultureInfo.InvariantCulture)) + 1;
            _connection.Execute("INSERT INTO GlobalProperties(property, value) VALUES (@property, @value) ON CONFLICT(property) DO UPDATE SET value = excluded.value",
                new { property = (int)property, value = next.ToString(CultureInfo.InvariantCulture) }, transaction);
            transaction.Commit();
            return next;
        }
    }

    /// <summary>A property's value (the queued writes written first); null when it was never set.</summary>
    public string? GetGlobalProperty(GlobalProperty property)
    {
        FlushQueuedWrites();
        lock (_lock)
            return _connection.ExecuteScalar<string?>("SELECT value FROM GlobalProperties WHERE property = @property", new { property = (int)property });
    }

    /// <summary>Sets a property's value (committed when this returns).</summary>
    public void SetGlobalProperty(GlobalProperty property, string value)
    {
        lock (_lock)
            WriteGlobalProperty(property, value);
    }

    private void WriteGlobalProperty(GlobalProperty property, string value) =>
        _rows.Execute("INSERT INTO GlobalProperties(property, value) VALUES (@property, @value) ON CONFLICT(property) DO UPDATE SET value = excluded.value",
            ("@property", (int)property), ("@value", value));
}
