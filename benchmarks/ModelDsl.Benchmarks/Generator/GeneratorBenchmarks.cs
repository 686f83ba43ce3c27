using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ModelDsl.Benchmarks.Generator;

/// <summary>
/// The generator over 1, 50 and 500 models, chain models or graph models (<see cref="ModelCorpus"/>, the corpus of the
/// <c>incremental</c> command). <see cref="Cold"/>: a fresh driver over a fresh copy of the compilation
/// (<c>Compilation.Clone()</c> drops every cached symbol and binding, so the generator pays for its own semantic
/// queries; parsing is excluded, it is the compiler's work either way). <see cref="UnrelatedEdit"/> and
/// <see cref="OneModelEdit"/>: a driver that has already run once, re-run over the project after an edit — what the
/// IDE does on each keystroke.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private ModelCorpus corpus = null!;
    private GeneratorDriver warmDriver = null!;
    private CSharpCompilation unrelatedEdit = null!;
    private CSharpCompilation oneModelEdit = null!;
    private GeneratorDriver warmFloor = null!;

    [Params(1, 50, 500)]
    public int Models { get; set; }

    /// <summary>
    /// Graph models (a stem, two branches concatenated, a multiplicative gate, a head: six blocks, twice the attributes
    /// of a chain model) instead of the three rotating chain kinds; the corpus of the goal "500 graph models cold".
    /// </summary>
    [Params(false, true)]
    public bool Graphs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        corpus = ModelCorpus.Create(Models, Graphs);
        warmDriver = GeneratorRuns.NewDriver(trackSteps: false).RunGenerators(corpus.Compilation);
        int generated = GeneratorRuns.GeneratedFiles(warmDriver.GetRunResult());
        var diagnostics = warmDriver.GetRunResult().Diagnostics;
        if (generated != Models || !diagnostics.IsEmpty)
            throw new InvalidOperationException($"The corpus must generate one clean file per model: {generated} files for {Models} models; {string.Join("; ", diagnostics)}");
        warmFloor = GeneratorRuns.NewDriver(trackSteps: false, new FloorGenerator()).RunGenerators(corpus.Compilation);
        unrelatedEdit = corpus.WithUnrelatedEdit();
        oneModelEdit = corpus.WithOneModelEdited();
    }

    [Benchmark]
    public GeneratorDriver Cold() => GeneratorRuns.NewDriver(trackSteps: false).RunGenerators(corpus.Compilation.Clone());

    // Clone(): each invocation sees a compilation it has never bound, as a real edit produces; the driver's own cache is warm.
    [Benchmark]
    public GeneratorDriver UnrelatedEdit() => warmDriver.RunGenerators(unrelatedEdit.Clone());

    [Benchmark]
    public GeneratorDriver OneModelEdit() => warmDriver.RunGenerators(oneModelEdit.Clone());

    // The same re-runs over a compilation whose symbols are already bound (after the first invocation): what the
    // generator itself adds when the IDE has bound the edited project anyway. ForAttributeWithMetadataName re-runs the
    // parse transform of every model whenever the compilation changes (its outputs come back Unchanged, not Cached),
    // so the difference between these and the two above is the compiler's binding, not the generator's work.
    [Benchmark]
    public GeneratorDriver UnrelatedEditBound() => warmDriver.RunGenerators(unrelatedEdit);

    [Benchmark]
    public GeneratorDriver OneModelEditBound() => warmDriver.RunGenerators(oneModelEdit);

    // The floor: Roslyn's own cost for any generator keyed on [Model] (see FloorGenerator), measured the same ways.
    [Benchmark]
    public GeneratorDriver FloorCold() => GeneratorRuns.NewDriver(trackSteps: false, new FloorGenerator()).RunGenerators(corpus.Compilation.Clone());

    [Benchmark]
    public GeneratorDriver FloorOneModelEdit() => warmFloor.RunGenerators(oneModelEdit.Clone());

    [Benchmark]
    public GeneratorDriver FloorOneModelEditBound() => warmFloor.RunGenerators(oneModelEdit);
}
