using BenchmarkDotNet.Running;
using DicomScript.Benchmarks;

// dotnet run -c Release --project bench/DicomScript.Benchmarks -- network          (storescu/storescp comparison)
// dotnet run -c Release --project bench/DicomScript.Benchmarks -- --filter '*Parse*' (BenchmarkDotNet micro-benchmarks)
if (args is ["network", ..])
    return await NetworkBenchmark.RunAsync();
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
