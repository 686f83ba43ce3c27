using System;
using System.Diagnostics;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ModelDsl.Benchmarks.Generator;

/// <summary>
/// <c>incremental</c> sub-command: with step tracking on, how many files a re-run regenerated after an unrelated edit
/// and after a one-model edit (must be 0 and 1), and the median times of cold and re-runs in this one process, so
/// the re-run / cold ratio is taken under the same load.
/// </summary>
internal static class IncrementalReport
{
    public static int Run(int models, int repeats, bool graphs = false)
    {
        ModelCorpus corpus = ModelCorpus.Create(models, graphs);
        Console.WriteLine(graphs ? "graph models (a stem, two branches concatenated, a multiplicative gate, a head)" : "chain models");
        GeneratorDriver warm = GeneratorRuns.NewDriver(trackSteps: true).RunGenerators(corpus.Compilation);
        int cold = GeneratorRuns.RegeneratedFiles(warm.GetRunResult());
        int unrelated = GeneratorRuns.RegeneratedFiles(warm.RunGenerators(corpus.WithUnrelatedEdit()).GetRunResult());
        int edited = GeneratorRuns.RegeneratedFiles(warm.RunGenerators(corpus.WithOneModelEdited()).GetRunResult());
        Console.WriteLine("after an unrelated edit, the parse step's outputs: " + Reasons(warm.RunGenerators(corpus.WithUnrelatedEdit()).GetRunResult()));
        Console.WriteLine($"models: {models}; files generated cold: {cold}; regenerated after an unrelated edit: {unrelated}; after editing one model: {edited}");

        GeneratorDriver untracked = GeneratorRuns.NewDriver(trackSteps: false).RunGenerators(corpus.Compilation);
        CSharpCompilation unrelatedEdit = corpus.WithUnrelatedEdit(), oneModelEdit = corpus.WithOneModelEdited();
        double coldMs = Median(repeats, () => GeneratorRuns.NewDriver(trackSteps: false).RunGenerators(corpus.Compilation.Clone()));
        double unrelatedMs = Median(repeats, () => untracked.RunGenerators(unrelatedEdit.Clone()));
        double editMs = Median(repeats, () => untracked.RunGenerators(oneModelEdit.Clone()));
        double unrelatedBoundMs = Median(repeats, () => untracked.RunGenerators(unrelatedEdit));
        double editBoundMs = Median(repeats, () => untracked.RunGenerators(oneModelEdit));
        double bindMs = Median(repeats, () => { BindAttributes(corpus.Compilation.Clone()); return untracked; });
        Console.WriteLine($"median of {repeats}: cold {coldMs:F1} ms; unrelated edit {unrelatedMs:F2} ms ({100 * unrelatedMs / coldMs:F1}% of cold); one-model edit {editMs:F2} ms ({100 * editMs / coldMs:F1}% of cold); the compiler alone binding every model's attributes in a fresh compilation {bindMs:F1} ms");
        Console.WriteLine($"re-runs over an already-bound compilation: unrelated edit {unrelatedBoundMs:F2} ms ({100 * unrelatedBoundMs / coldMs:F1}% of cold); one-model edit {editBoundMs:F2} ms ({100 * editBoundMs / coldMs:F1}% of cold)");
        GeneratorDriver floor = GeneratorRuns.NewDriver(trackSteps: false, new FloorGenerator()).RunGenerators(corpus.Compilation);
        double floorColdMs = Median(repeats, () => GeneratorRuns.NewDriver(trackSteps: false, new FloorGenerator()).RunGenerators(corpus.Compilation.Clone()));
        double floorEditMs = Median(repeats, () => floor.RunGenerators(oneModelEdit.Clone()));
        double floorEditBoundMs = Median(repeats, () => floor.RunGenerators(oneModelEdit));
        Console.WriteLine($"floor (a generator that only reads each [Model] class's name): cold {floorColdMs:F1} ms; one-model edit {floorEditMs:F2} ms; over an already-bound compilation {floorEditBoundMs:F2} ms");
        return cold == models && unrelated == 0 && edited == 1 ? 0 : 1;
    }

    /// <summary>What the compiler pays anyway to answer the generator's questions: each class's symbol and attributes.</summary>
    private static void BindAttributes(Compilation compilation)
    {
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            SemanticModel model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is not (Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax)) continue;
                ISymbol? symbol = model.GetDeclaredSymbol(node);
                if (symbol is null) continue;
                foreach (AttributeData attribute in symbol.GetAttributes())
                {
                    _ = attribute.ConstructorArguments;
                    _ = attribute.NamedArguments;
                }
            }
        }
    }

    private static string Reasons(GeneratorDriverRunResult run)
        => string.Join(", ", run.Results[0].TrackedSteps[ModelDsl.Generator.TrackingNames.Declarations]
            .SelectMany(s => s.Outputs).GroupBy(o => o.Reason).Select(g => $"{g.Key} {g.Count()}"));

    private static double Median(int repeats, Func<GeneratorDriver> run)
    {
        run(); // JIT and first-touch of metadata outside the measurement, as BenchmarkDotNet's warm-up does.
        double[] times = Enumerable.Range(0, repeats).Select(_ =>
        {
            long start = Stopwatch.GetTimestamp();
            run();
            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }).OrderBy(t => t).ToArray();
        return times[times.Length / 2];
    }
}
