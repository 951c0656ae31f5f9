using BenchmarkDotNet.Running;

// Runs the benchmarks chosen on the command line, e.g.
//   dotnet run -c Release --project bench/DicomScript.Benchmarks -- --filter '*Parse*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
