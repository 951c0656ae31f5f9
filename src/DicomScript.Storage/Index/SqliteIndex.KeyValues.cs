using Dapper;

namespace DicomScript.Storage.Index;

// Key-value stores (Orthanc 1.13's, which Lua's StoreKeyValue/GetKeyValue/DeleteKeyValue use):
// named stores of byte values under text keys, kept in the index so they outlive the process.
public sealed partial class SqliteIndex
{
    /// <summary>Sets <paramref name="key"/> in <paramref name="storeId"/> to <paramref name="value"/> (replacing what was there).</summary>
    public void StoreKeyValue(string storeId, string key, byte[] value)
    {
        lock (_lock)
        {
            _connection.Execute("INSERT INTO KeyValues(storeId, key, value) VALUES (@storeId, @key, @value) ON CONFLICT(storeId, key) DO UPDATE SET value = excluded.value",
                new { storeId, key, value });
        }
    }

    /// <summary>The value of <paramref name="key"/> in <paramref name="storeId"/>; null when absent.</summary>
    public byte[]? GetKeyValue(string storeId, string key)
    {
        lock (_lock)
            return _connection.ExecuteScalar<byte[]?>("SELECT value FROM KeyValues WHERE storeId = @storeId AND key = @key", new { storeId, key });
    }

    /// <summary>Removes <paramref name="key"/> from <paramref name="storeId"/>; false when it was not there.</summary>
    public bool DeleteKeyValue(string storeId, string key)
    {
        lock (_lock)
            return _connection.Execute("DELETE FROM KeyValues WHERE storeId = @storeId AND key = @key", new { storeId, key }) > 0;
    }
}
