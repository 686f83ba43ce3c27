using System;
using System.Diagnostics;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ModelDsl.Benchmarks.Generator;

/// <summary>
/// <c>generated-size [models] [rounds] [graph]</c>: the total size of the files the generator writes for the corpus, and
/// how long the compiler takes to parse them alone (the driver parses every added source eagerly), next to a cold run;
/// tells how much of a cold run the size of the generated text costs; beside them, the attribute floor
/// (<see cref="AttributeFloorGenerator"/>) and the parse, plan and emit phases apart (<see cref="PhaseTimes"/>).
/// <c>cold-only</c> runs only cold runs after the first measurements, a loop to profile (dotnet-trace collect -- …).
/// </summary>
internal static class GeneratedSize
{
    public static int Run(int models, int rounds, bool graphs, bool coldOnly)
    {
        var corpus = ModelCorpus.Create(models, graphs);
        var run = GeneratorRuns.NewDriver(trackSteps: false).RunGenerators(corpus.Compilation.Clone()).GetRunResult();
        string[] texts = run.GeneratedTrees.Select(t => t.GetText().ToString()).ToArray();
        long chars = texts.Sum(t => (long)t.Length);
        long lines = texts.Sum(t => (long)t.Count(c => c == '\n'));
        Console.WriteLine($"{texts.Length} files, {chars:N0} chars ({chars / Math.Max(1, texts.Length):N0} per file), {lines:N0} lines");
        if (!coldOnly) PhaseTimes.Run(corpus, rounds);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        GeneratorRuns.NewDriver(trackSteps: false).RunGenerators(corpus.Compilation.Clone());
        long coldBytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        before = GC.GetTotalAllocatedBytes(precise: true);
        GeneratorRuns.NewDriver(trackSteps: false, new AttributeFloorGenerator()).RunGenerators(corpus.Compilation.Clone());
        long floorBytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        Console.WriteLine($"allocated: cold {coldBytes / 1e6:F1} MB, attribute floor {floorBytes / 1e6:F1} MB");
        for (int r = 0; r < rounds; r++)
        {
            var sw = Stopwatch.StartNew();
            if (coldOnly) { GeneratorRuns.NewDriver(trackSteps: false).RunGenerators(corpus.Compilation.Clone()); continue; }
            foreach (string text in texts) CSharpSyntaxTree.ParseText(text, ModelCorpus.ParseOptions).GetRoot();
            double parse = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            GeneratorRuns.NewDriver(trackSteps: false).RunGenerators(corpus.Compilation.Clone());
            double cold = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            GeneratorRuns.NewDriver(trackSteps: false, new FloorGenerator()).RunGenerators(corpus.Compilation.Clone());
            double floor = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            GeneratorRuns.NewDriver(trackSteps: false, new AttributeFloorGenerator()).RunGenerators(corpus.Compilation.Clone());
            double attributes = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            GeneratorRuns.NewDriver(trackSteps: false, new AttributeFloorGenerator(texts[0])).RunGenerators(corpus.Compilation.Clone());
            double sized = sw.Elapsed.TotalMilliseconds;
            Console.WriteLine($"round {r}: parse generated {parse:F1} ms, cold {cold:F1} ms, floor {floor:F1} ms, attribute floor {attributes:F1} ms, attribute floor + {texts[0].Length:N0}-char files {sized:F1} ms");
        }
        return 0;
    }
}
