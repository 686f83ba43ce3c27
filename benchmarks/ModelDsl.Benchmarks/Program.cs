using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ModelDsl.Benchmarks.Generator;

namespace ModelDsl.Benchmarks;

/// <summary>
/// BenchmarkDotNet benchmarks (any arguments BenchmarkSwitcher takes: <c>--filter '*Generator*'</c>, <c>--job short</c>),
/// or one of the console measurements: <c>incremental [models] [repeats]</c>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "incremental":
                return IncrementalReport.Run(Arg(args, 1, 500), Arg(args, 2, 9));
        }

        // In-process toolchain: the benchmarks run inside this already-built program instead of a generated project
        // that BenchmarkDotNet would build per run. Building is slow on this shared 2-core machine, and the in-process
        // run uses the TorchSharp native library this build output already holds (patched by Directory.Build.targets).
        IConfig config = DefaultConfig.Instance
            .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault())
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }

    private static int Arg(string[] args, int index, int fallback) => args.Length > index ? int.Parse(args[index], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
