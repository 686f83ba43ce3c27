using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// In-process: the benchmark runs inside this (already built and native-patched) output, with no second build on a shared
// 2-core machine. ShortRun: 3 warmups, 3 iterations, one launch — enough for ratios of 2×, not for small differences.
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(ModelDsl.Benchmarks.Ensembles.EnsembleBenchmarks).Assembly).Run(args, config);
