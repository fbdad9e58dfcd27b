using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/CloudPipeline.Benchmarks -- --filter '*Storage*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
