using Microsoft.Data.Sqlite;

namespace DicomScript.Storage.Index;

/// <summary>
/// One prepared SQLite command per SQL text, reused: the store path runs ~30 statements per
/// instance, and preparing each anew (as a fresh command does) cost more than executing them; a
/// search's recursive statement costs about as much to prepare as to run.
/// Not thread-safe: used under the index lock.
/// </summary>
internal sealed class PreparedCommands(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public int Execute(SqliteTransaction? transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        Bind(transaction, sql, parameters).ExecuteNonQuery();

    /// <summary>The first column of the first row, or null (no row, or SQL NULL).</summary>
    public object? Scalar(SqliteTransaction? transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        Bind(transaction, sql, parameters).ExecuteScalar() is { } value and not DBNull ? value : null;

    /// <summary>A reader over the statement's rows; dispose it before the next use of the same SQL.</summary>
    public SqliteDataReader Reader(SqliteTransaction? transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        Bind(transaction, sql, parameters).ExecuteReader();

    private SqliteCommand Bind(SqliteTransaction? transaction, string sql, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
            command.Dispose();
        _commands.Clear();
    }
}
