using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generator;

namespace ModelDsl.Benchmarks.Generator;

/// <summary>Drives <see cref="ModelGenerator"/> the way the compiler does, and counts what a re-run regenerated.</summary>
internal static class GeneratorRuns
{
    public static GeneratorDriver NewDriver(bool trackSteps, IIncrementalGenerator? generator = null)
        => CSharpGeneratorDriver.Create(
            new[] { (generator ?? new ModelGenerator()).AsSourceGenerator() },
            parseOptions: ModelCorpus.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>
    /// Generated files whose source output ran again (reason New or Modified) rather than being reused (Cached or
    /// Unchanged): the output steps fed by the <see cref="TrackingNames.Declarations"/> step, one per model file. The
    /// diagnostics output is a separate output step and is not a file, so it is not counted.
    /// </summary>
    public static int RegeneratedFiles(GeneratorDriverRunResult run)
        => run.Results[0].TrackedOutputSteps.TryGetValue("SourceOutput", out var steps)
            ? steps
                .Where(step => step.Inputs.Any(input => input.Source.Name == TrackingNames.Declarations))
                .SelectMany(step => step.Outputs)
                .Count(output => output.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified)
            : 0;

    /// <summary>Total generated files of a run (for the sanity check that every model produced one).</summary>
    public static int GeneratedFiles(GeneratorDriverRunResult run) => run.GeneratedTrees.Length;
}
