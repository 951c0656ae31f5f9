namespace DicomScript.Benchmarks;

/// <summary>
/// Where a benchmark writes (generated instances, the servers' storage): a new folder under
/// <c>BENCH_STORAGE</c> when it is set, else under the temporary folder. The project machine's root
/// file system is ext4 without a journal, whose inode allocator then steps over every inode freed in
/// the last minutes one at a time: after a run that deleted thousands of files, making files costs
/// several times more, for minutes, whichever server runs next. bench/README.md shows how to give
/// the benchmarks a journaled file system instead.
/// </summary>
internal static class WorkFolder
{
    public const string Variable = "BENCH_STORAGE";

    public static DirectoryInfo Create(string prefix)
    {
        var folder = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } root
            ? Directory.CreateDirectory(Path.Combine(root, prefix + Guid.NewGuid().ToString("N")[..8]))
            : Directory.CreateTempSubdirectory(prefix);
        Console.WriteLine($"(working in {folder.FullName}; {Variable} chooses where)");
        return folder;
    }
}
