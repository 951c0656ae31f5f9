using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DicomScript.Storage.Index;

/// <summary>
/// Prepared statements whose rows are read straight from SQLite, for the few reads that return
/// thousands of rows per request (a C-FIND's resources and tags). Through
/// <see cref="SqliteDataReader"/> each value costs a type check, a null check and two reference
/// counts on the statement's handle; in a universal C-FIND those were about half the CPU.
/// Statements are prepared once per SQL text and kept. Not thread-safe: used under the index lock.
/// </summary>
internal sealed partial class RowReaders(SqliteConnection connection) : IDisposable
{
    private const int Row = 100;  // SQLITE_ROW
    private const int Done = 101; // SQLITE_DONE
    private const int Null = 5;   // SQLITE_NULL

    private readonly Dictionary<string, sqlite3_stmt> _statements = new(StringComparer.Ordinal);

    /// <summary>Runs a statement with its parameters bound; dispose the rows before the next use of the same SQL.</summary>
    public Rows Read(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            Check(raw.sqlite3_prepare_v3(connection.Handle, sql, raw.SQLITE_PREPARE_PERSISTENT, out statement, out _));
            _statements[sql] = statement;
        }

        foreach (var (name, value) in parameters)
        {
            var index = raw.sqlite3_bind_parameter_index(statement, name);
            if (index == 0)
                throw new ArgumentException($"The statement has no parameter {name}", nameof(parameters));
            Check(value switch
            {
                null => raw.sqlite3_bind_null(statement, index),
                long number => raw.sqlite3_bind_int64(statement, index, number),
                int number => raw.sqlite3_bind_int64(statement, index, number),
                string text => raw.sqlite3_bind_text(statement, index, text),
                _ => throw new ArgumentException($"Parameter {name}: {value.GetType().Name} values are not bound here", nameof(parameters)),
            });
        }

        return new Rows(this, statement);
    }

    private void Check(int code)
    {
        if (code is not (0 or Row or Done))
            throw new SqliteException($"SQLite Error {code}: '{raw.sqlite3_errmsg(connection.Handle).utf8_to_string()}'.", code);
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
            statement.Dispose();
        _statements.Clear();
    }

    /// <summary>The rows of one run of a statement; disposing it resets the statement (and ends its read).</summary>
    public readonly struct Rows : IDisposable
    {
        private readonly RowReaders _owner;
        private readonly sqlite3_stmt _statement;
        private readonly IntPtr _handle;

        internal Rows(RowReaders owner, sqlite3_stmt statement)
        {
            _owner = owner;
            _statement = statement;
            _handle = statement.DangerousGetHandle();
        }

        /// <summary>Moves to the next row; false after the last.</summary>
        public bool Read()
        {
            var code = Step(_handle);
            _owner.Check(code);
            return code == Row;
        }

        public bool IsNull(int column) => ColumnType(_handle, column) == Null;

        public long Int64(int column) => ColumnInt64(_handle, column);

        /// <summary>The column as text (empty for NULL).</summary>
        public string String(int column)
        {
            var text = ColumnText(_handle, column);
            return text == IntPtr.Zero ? "" : Marshal.PtrToStringUTF8(text, ColumnBytes(_handle, column));
        }

        public void Dispose()
        {
            raw.sqlite3_reset(_statement);
            raw.sqlite3_clear_bindings(_statement);
        }
    }

    // The row-by-row calls on the raw statement pointer (the SQLitePCL equivalents take a SafeHandle).
    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_step")]
    private static partial int Step(IntPtr statement);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_column_type")]
    [SuppressGCTransition]
    private static partial int ColumnType(IntPtr statement, int column);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_column_int64")]
    [SuppressGCTransition]
    private static partial long ColumnInt64(IntPtr statement, int column);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_column_text")]
    [SuppressGCTransition]
    private static partial IntPtr ColumnText(IntPtr statement, int column);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_column_bytes")]
    [SuppressGCTransition]
    private static partial int ColumnBytes(IntPtr statement, int column);
}
