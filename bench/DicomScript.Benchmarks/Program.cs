using BenchmarkDotNet.Running;
using DicomScript.Benchmarks;

// dotnet run -c Release --project bench/DicomScript.Benchmarks -- network          (storescu/storescp comparison)
// dotnet run -c Release --project bench/DicomScript.Benchmarks -- archive          (the archive beside the real Orthanc)
// dotnet run -c Release --project bench/DicomScript.Benchmarks -- rest             (REST throughput beside the real Orthanc)
// dotnet run -c Release --project bench/DicomScript.Benchmarks -- lua              (Lua callbacks and routing beside the real Orthanc)
// dotnet run -c Release --project bench/DicomScript.Benchmarks -- --filter '*Parse*' (BenchmarkDotNet micro-benchmarks)
if (args is ["network", ..])
    return await NetworkBenchmark.RunAsync();
if (args is ["archive", ..])
    return await ArchiveBenchmark.RunAsync(findOnly: args is [_, "find", ..]);
if (args is ["rest", ..])
    return await RestBenchmark.RunAsync();
if (args is ["lua", ..])
    return await LuaBenchmark.RunAsync();
BenchmarkSwitcher.FromAssembly(typeof(NetworkBenchmark).Assembly).Run(args);
return 0;
