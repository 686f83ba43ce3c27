using System;
using System.IO;
using ModelDsl.Testing.Tests.Models;
using Snapshooter.Xunit;
using Xunit;

namespace ModelDsl.Testing.Tests;

public class GeneratedModelsTests
{
    private static string ModelSource()
    {
        using Stream stream = typeof(GeneratedModelsTests).Assembly.GetManifestResourceStream("SnapshotMlp.cs")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [Fact]
    public void FromType_returns_the_file_the_compiler_generated_and_its_summary()
    {
        GeneratedModel model = GeneratedModels.FromType<SnapshotMlp>();

        Assert.Equal("ModelDsl.Testing.Tests.Models.SnapshotMlp", model.TypeName);
        Assert.Equal("ModelDsl.Testing.Tests.Models.SnapshotMlp.g.cs", model.HintName);
        Assert.Equal(SnapshotMlp.SummaryText, model.Summary);
        Assert.Contains("partial class SnapshotMlp", model.Source);
        // The generated file carries the same table in its XML doc and its const.
        Assert.Contains("public const string SummaryText", model.Source);
        Assert.Contains("head.dense: Dense(10)", model.Summary);
    }

    [Fact]
    public void FromSource_runs_the_generator_in_memory_and_agrees_with_the_compiler()
    {
        GeneratorRun run = GeneratedModels.FromSource(ModelSource());

        Assert.Empty(run.Diagnostics);
        GeneratedModel inMemory = run.Single();
        GeneratedModel compiled = GeneratedModels.FromType<SnapshotMlp>();
        Assert.Equal(compiled.TypeName, inMemory.TypeName);
        Assert.Equal(compiled.HintName, inMemory.HintName);
        Assert.Equal(compiled.Summary, inMemory.Summary);
        Assert.Equal(compiled.Source.ReplaceLineEndings(), inMemory.Source.ReplaceLineEndings());
    }

    [Fact]
    public void FromSource_returns_the_generators_diagnostics()
    {
        GeneratorRun run = GeneratedModels.FromSource("""
            using ModelDsl;
            using static ModelDsl.Init;

            [Model(8)]
            [Dense(4, Init = He), Tanh]
            [Dense(1)]
            public partial class Saturating { }
            """);

        string warning = Assert.Single(run.Diagnostics);
        Assert.Contains("warning MD0011", warning);
        // A warning still generates the model.
        Assert.Equal("Saturating", run.Single().TypeName);
    }

    [Fact]
    public void FromType_rejects_a_type_that_is_not_a_model()
    {
        var error = Assert.Throws<ArgumentException>(() => GeneratedModels.FromType(typeof(GeneratedModelsTests)));
        Assert.Contains("is not a ModelDsl model", error.Message);
    }

    [Fact]
    public void Summary_snapshot_the_way_the_recipe_shows()
    {
        // docs/recipes.md: hand the summary (and the source) to the snapshot library of your choice.
        Snapshot.Match(GeneratedModels.FromType<SnapshotMlp>().Summary);
    }
}
