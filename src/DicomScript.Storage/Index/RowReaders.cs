using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DicomScript.Storage.Index;

/// <summary>
/// Prepared statements bound, run and read straight on SQLite's statement: the reads that return
/// thousands of rows per request (a C-FIND's resources and tags), and the ~30 statements that
/// store an instance and the ~10 that delete one. Through <see cref="SqliteDataReader"/> and
/// <see cref="SqliteCommand"/> each value costs a type check, a null check and two reference
/// counts on the statement's handle, each parameter a new object, a lookup of its name and a UTF-8
/// copy: in a universal C-FIND about half the CPU, in a store and delete ~20 % (SQLite's own work
/// and the kernel's writes are the rest). Statements are prepared once per SQL text and kept.
/// Not thread-safe: used under the index lock.
/// </summary>
internal sealed partial class RowReaders(SqliteConnection connection) : IDisposable
{
    private const int Row = 100;   // SQLITE_ROW
    private const int Done = 101;  // SQLITE_DONE
    private const int Integer = 1; // SQLITE_INTEGER
    private const int Float = 2;   // SQLITE_FLOAT
    private const int Text = 3;    // SQLITE_TEXT
    private const int Blob = 4;    // SQLITE_BLOB
    private const int Null = 5;    // SQLITE_NULL
    private static readonly IntPtr Transient = new(-1); // SQLITE_TRANSIENT: SQLite copies the value at once

    private readonly Dictionary<string, Statement> _statements = new(StringComparer.Ordinal);

    // A prepared statement, its raw pointer, and the numbers of the parameters named so far.
    private sealed class Statement(sqlite3_stmt handle)
    {
        public sqlite3_stmt Handle { get; } = handle;

        public IntPtr Pointer { get; } = handle.DangerousGetHandle();

        public Dictionary<string, int> Parameters { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Runs a statement with its parameters bound; dispose the rows before the next use of the same SQL.</summary>
    public Rows Read(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            Check(raw.sqlite3_prepare_v3(connection.Handle, sql, raw.SQLITE_PREPARE_PERSISTENT, out var handle, out _));
            _statements[sql] = statement = new Statement(handle);
        }

        foreach (var (name, value) in parameters)
        {
            if (!statement.Parameters.TryGetValue(name, out var index))
            {
                index = raw.sqlite3_bind_parameter_index(statement.Handle, name);
                if (index == 0)
                    throw new ArgumentException($"The statement has no parameter {name}", nameof(parameters));
                statement.Parameters[name] = index;
            }

            Check(value switch
            {
                null => BindNull(statement.Pointer, index),
                long number => BindInt64(statement.Pointer, index, number),
                int number => BindInt64(statement.Pointer, index, number),
                string text => BindText16(statement.Pointer, index, text, text.Length * sizeof(char), Transient),
                _ => throw new ArgumentException($"Parameter {name}: {value.GetType().Name} values are not bound here", nameof(parameters)),
            });
        }

        return new Rows(this, statement.Pointer);
    }

    /// <summary>Runs a statement to its end (an insert, update or delete).</summary>
    public void Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var rows = Read(sql, parameters);
        while (rows.Read())
        {
        }
    }

    /// <summary>The first column of the first row (long, double, string or byte[]), or null (no row, or SQL NULL).</summary>
    public object? Scalar(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var rows = Read(sql, parameters);
        return rows.Read() ? rows.Value(0) : null;
    }

    private void Check(int code)
    {
        if (code is not (0 or Row or Done))
            throw new SqliteException($"SQLite Error {code}: '{raw.sqlite3_errmsg(connection.Handle).utf8_to_string()}'.", code);
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
            statement.Handle.Dispose();
        _statements.Clear();
    }

    /// <summary>The rows of one run of a statement; disposing it resets the statement (and ends its read).</summary>
    public readonly unsafe struct Rows : IDisposable
    {
        private readonly RowReaders _owner;
        private readonly IntPtr _handle;

        internal Rows(RowReaders owner, IntPtr statement)
        {
            _owner = owner;
            _handle = statement;
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

        /// <summary>The column as Microsoft.Data.Sqlite gives it: long, double, string, byte[], or null.</summary>
        public object? Value(int column) => ColumnType(_handle, column) switch
        {
            Integer => Int64(column),
            Float => ColumnDouble(_handle, column),
            Text => String(column),
            Blob => ColumnBytes(_handle, column) is var length and > 0 ? new ReadOnlySpan<byte>((void*)ColumnBlob(_handle, column), length).ToArray() : [],
            _ => null,
        };

        public void Dispose()
        {
            // Reset repeats the error of the last step, which Read has already reported.
            _ = Reset(_handle);
            _ = ClearBindings(_handle);
        }
    }

    // The calls on the raw statement pointer (the SQLitePCL equivalents take a SafeHandle, counted
    // up and down on every call, and bind text converted to UTF-8 in a new array; SQLite converts
    // UTF-16 itself).
    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_step")]
    private static partial int Step(IntPtr statement);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_reset")]
    private static partial int Reset(IntPtr statement);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_clear_bindings")]
    [SuppressGCTransition]
    private static partial int ClearBindings(IntPtr statement);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_bind_null")]
    [SuppressGCTransition]
    private static partial int BindNull(IntPtr statement, int index);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_bind_int64")]
    [SuppressGCTransition]
    private static partial int BindInt64(IntPtr statement, int index, long value);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_bind_text16", StringMarshalling = StringMarshalling.Utf16)]
    private static partial int BindText16(IntPtr statement, int index, string text, int bytes, IntPtr destructor);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_column_double")]
    [SuppressGCTransition]
    private static partial double ColumnDouble(IntPtr statement, int column);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_column_blob")]
    [SuppressGCTransition]
    private static partial IntPtr ColumnBlob(IntPtr statement, int column);

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
