using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using ModelDsl.Benchmarks.Generator;
using ModelDsl.Benchmarks.Runtime;

namespace ModelDsl.Benchmarks;

/// <summary>
/// BenchmarkDotNet benchmarks (any arguments BenchmarkSwitcher takes: <c>--filter '*Generator*'</c>, <c>--job short</c>),
/// or one of the console measurements: <c>incremental [models] [repeats] [graph]</c>, <c>overhead [rounds] [calls per block] [mlp|cnn|ensemble|penalty|penalty-formula|resnet|gpt|all]</c>,
/// <c>penalty-parts [calls]</c>, <c>memory [steps] [sample every] [hand] [fixed] [nocollect]</c>, <c>ceiling [n] [matmul repeats] [train steps]</c>,
/// <c>onnx [rounds] [calls per block]</c>, <c>folding [rounds] [calls per block]</c>, <c>weights [rounds] [threads]</c>,
/// <c>generated-size [models] [rounds] [graph] [cold-only]</c>, <c>generation [rounds] [batch]</c>, <c>data-path [rounds] [calls per block]</c>, <c>zoo [rounds] [calls per block] [arch…]</c>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "incremental":
                return IncrementalReport.Run(Arg(args, 1, 500), Arg(args, 2, 9), graphs: args.Contains("graph"));
            case "generated-size":
                return GeneratedSize.Run(Arg(args, 1, 500), Arg(args, 2, 5), graphs: args.Contains("graph"), coldOnly: args.Contains("cold-only"));
            case "overhead":
                return InterleavedOverhead.Run(Arg(args, 1, 30), Arg(args, 2, 20), args.Length > 3 ? args[3] : "mlp");
            case "penalty-parts":
                return PenaltyParts.Run(Arg(args, 1, 500));
            case "memory":
                return MemoryRun.Run(Arg(args, 1, 5000), Arg(args, 2, 500), handWritten: args.Contains("hand"), freshBatches: !args.Contains("fixed"), collect: !args.Contains("nocollect"));
            case "onnx":
                return Onnx.OnnxLatency.Run(Arg(args, 1, 30), Arg(args, 2, 50));
            case "data-path":
                return DataPathShare.Run(Arg(args, 1, 10), Arg(args, 2, 10));
            case "generation":
                return GenerationSpeed.Run(Arg(args, 1, 5), Arg(args, 2, 1));
            case "folding":
                return FoldingLatency.Run(Arg(args, 1, 30), Arg(args, 2, 10));
            case "weights":
                return WeightsLoading.Run(Arg(args, 1, 11), Arg(args, 2, 1));
            case "zoo":
                return ZooSpeed.Run(Arg(args, 1, 10), Arg(args, 2, 3), args.Skip(3).ToArray());
            case "ceiling":
                return ComputeCeiling.Run(Arg(args, 1, 2048), Arg(args, 2, 10), Arg(args, 3, 50));
        }

        // In-process toolchain (BenchmarkDotNet's --inProcess, InProcessEmitToolchain) unless --outOfProcess is given:
        // the benchmarks run inside this already-built program instead of a project BenchmarkDotNet generates and builds
        // per run. Building is slow on this shared 2-core machine, and in process the run uses the TorchSharp native
        // library this build output already holds (patched by Directory.Build.targets). Both work; see docs/benchmarks.md.
        string[] switcherArgs = args.Contains("--outOfProcess")
            ? args.Where(a => a != "--outOfProcess").ToArray()
            : args.Append("--inProcess").ToArray();
        IConfig config = DefaultConfig.Instance;
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(switcherArgs, config);
        return 0;
    }

    private static int Arg(string[] args, int index, int fallback) => args.Length > index ? int.Parse(args[index], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
