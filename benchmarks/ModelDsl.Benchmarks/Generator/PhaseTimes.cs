using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Planning;

namespace ModelDsl.Benchmarks.Generator;

/// <summary>
/// The cold run's three phases timed apart on the corpus: parse (ModelParser under ForAttributeWithMetadataName, the
/// compiler's attribute binding included), then plan and emit over the parsed declarations, with the bytes each allocates.
/// </summary>
internal static class PhaseTimes
{
    private sealed class ParseOnly(List<ModelDeclaration> sink) : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var declarations = context.SyntaxProvider.ForAttributeWithMetadataName(AttributeNames.Model,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                transform: static (ctx, ct) => ModelParser.IsFirstModelAttribute(ctx) ? ModelParser.Parse(ctx, ct) : null);
            context.RegisterSourceOutput(declarations, (_, d) => { if (d is not null) sink.Add(d); });
        }
    }

    public static void Run(ModelCorpus corpus, int rounds)
    {
        for (int r = 0; r < rounds; r++)
        {
            var declarations = new List<ModelDeclaration>();
            long bytes = GC.GetAllocatedBytesForCurrentThread();
            var sw = Stopwatch.StartNew();
            GeneratorRuns.NewDriver(trackSteps: false, new ParseOnly(declarations)).RunGenerators(corpus.Compilation.Clone());
            double parse = sw.Elapsed.TotalMilliseconds;
            long parseBytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
            bytes = GC.GetAllocatedBytesForCurrentThread();
            sw.Restart();
            var plans = declarations.Select(d => ModelPlanner.Plan(d).Plan!).ToList();
            double plan = sw.Elapsed.TotalMilliseconds;
            long planBytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
            bytes = GC.GetAllocatedBytesForCurrentThread();
            sw.Restart();
            long chars = plans.Sum(p => (long)ModelEmitter.Emit(p).Length);
            double emit = sw.Elapsed.TotalMilliseconds;
            long emitBytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
            Console.WriteLine($"phases {r}: parse {parse:F1} ms {parseBytes / 1e6:F1} MB, plan {plan:F1} ms {planBytes / 1e6:F1} MB, emit {emit:F1} ms {emitBytes / 1e6:F1} MB ({chars:N0} chars)");
        }
    }
}
