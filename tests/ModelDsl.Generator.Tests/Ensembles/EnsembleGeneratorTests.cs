using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Ensembles;

/// <summary>[Ensemble] end to end through the generator: generated classes (snapshots) and every ensemble diagnostic.</summary>
public class EnsembleGeneratorTests
{
    private static string Model(string ensemble, string layers = "[Dense(32, Activation = Activation.ReLU, Init = Init.He)]\n[Dense(10)]", int input = 16) => $$"""
        using ModelDsl;

        namespace Demo;

        [Model({{input}})]
        {{layers}}
        [{{ensemble}}]
        public partial class Net { }
        """;

    [Fact]
    public void Soft_vote_ensemble_generates_a_second_clean_file()
    {
        GeneratorResult result = GeneratorHarness.Run(Model("Ensemble(5, Aggregation = Aggregation.SoftVote, Seed = 42)")).AssertClean();
        Assert.Equal(new[] { "Demo.Net.g.cs", "Demo.Net+Ensemble.g.cs" }, result.Files.Keys.OrderBy(k => k));
        SnapshotAssert.Matches(result.Files["Demo.Net+Ensemble.g.cs"], "Ensemble.SoftVote.Demo.NetEnsemble.g.cs");
    }

    [Fact]
    public void Weighted_mean_with_fixed_weights_and_no_seed()
    {
        GeneratorResult result = GeneratorHarness.Run(Model("Ensemble(3, Aggregation = Aggregation.WeightedMean, Weights = new[] { 0.5, 0.25, 0.25 })",
            "[Dense(8, Activation = Activation.Tanh)]\n[Dense(1)]")).AssertClean();
        SnapshotAssert.Matches(result.Files["Demo.Net+Ensemble.g.cs"], "Ensemble.WeightedMean.Demo.NetEnsemble.g.cs");
    }

    [Fact]
    public void Vectorized_ensemble_describes_its_layers()
    {
        GeneratorResult result = GeneratorHarness.Run(Model("Ensemble(8, Vectorized = true, Seed = 1)",
            "[Dense(64, Activation = Activation.ReLU, Init = Init.He), LayerNorm, Dropout(0.1)]\n[Dense(64), LeakyReLU(0.2)]\n[Dense(1)]")).AssertClean();
        SnapshotAssert.Matches(result.Files["Demo.Net+Ensemble.g.cs"], "Ensemble.Vectorized.Demo.NetEnsemble.g.cs");
    }

    [Fact]
    public void Majority_vote_on_a_log_softmax_classifier_is_clean()
    {
        GeneratorResult result = GeneratorHarness.Run(Model("Ensemble(3, Aggregation = Aggregation.MajorityVote)", "[Dense(10), LogSoftmax]")).AssertClean();
        Assert.Contains("global::ModelDsl.MemberOutput.LogProbabilities", result.Files["Demo.Net+Ensemble.g.cs"]);
    }

    [Fact]
    public void Nested_models_and_models_in_the_global_namespace_get_compiling_ensembles()
    {
        const string source = """
            using ModelDsl;

            [Model(4)]
            [Dense(3)]
            [Ensemble(2)]
            public partial class Net { }

            namespace Outer.Inner
            {
                public static partial class Holder
                {
                    [Model(4)]
                    [Dense(3)]
                    [Ensemble(2, Vectorized = true)]
                    public partial class Net { }
                }
            }
            """;
        GeneratorResult result = GeneratorHarness.Run(source).AssertClean();
        Assert.Contains(": global::ModelDsl.Ensemble<global::Net>", result.Files["Net+Ensemble.g.cs"]);
        Assert.Contains("new global::Outer.Inner.Holder.Net[MemberCount]", result.Files["Outer.Inner.Holder.Net+Ensemble.g.cs"]);
    }

    [Theory]
    [InlineData("Ensemble(1)", "MD0040", DiagnosticSeverity.Error, "1 members")]
    [InlineData("Ensemble(65)", "MD0040", DiagnosticSeverity.Error, "65 members")]
    [InlineData("Ensemble(21)", "MD0041", DiagnosticSeverity.Warning, "21 members")]
    [InlineData("Ensemble(3, Aggregation = Aggregation.Mean, Weights = new[] { 1.0, 2.0, 3.0 })", "MD0044", DiagnosticSeverity.Error, "only used by Aggregation.WeightedMean")]
    [InlineData("Ensemble(3, Aggregation = Aggregation.WeightedMean, Weights = new[] { 1.0, 2.0 })", "MD0044", DiagnosticSeverity.Error, "3 members need 3 weights, but 2")]
    [InlineData("Ensemble(2, Aggregation = Aggregation.WeightedMean, Weights = new[] { 1.0, -2.0 })", "MD0044", DiagnosticSeverity.Error, "negative")]
    public void Invalid_ensemble_settings_are_reported_at_the_attribute(string ensemble, string id, DiagnosticSeverity severity, string message)
    {
        string source = Model(ensemble);
        GeneratorResult result = GeneratorHarness.Run(source);
        AssertAt(result, source, ensemble, id, severity, message);
        // The model itself is still generated; with an error the ensemble is its surface only (issue #23 §5), which throws.
        Assert.Equal(2, result.Files.Count);
        Assert.Equal(severity == DiagnosticSeverity.Error, result.Files["Demo.Net+Ensemble.g.cs"].Contains("'NetEnsemble' was not generated because of the ModelDsl error " + id));
        Assert.Empty(result.CompilerDiagnostics);
    }

    [Theory]
    [InlineData("Ensemble(3, Aggregation = Aggregation.MajorityVote)", "[Dense(8, Activation = Activation.ReLU)]\n[Dense(1)]", "has one unit")]
    [InlineData("Ensemble(3, Aggregation = Aggregation.SoftVote)", "[Dense(8)]\n[Dense(4), Sigmoid]", "ends in Sigmoid")]
    public void Voting_on_outputs_that_are_not_class_scores_is_an_error(string ensemble, string layers, string message)
    {
        string source = Model(ensemble, layers);
        GeneratorResult result = GeneratorHarness.Run(source);
        AssertAt(result, source, ensemble, "MD0042", DiagnosticSeverity.Error, message);
        Assert.Contains("'NetEnsemble' was not generated because of the ModelDsl error MD0042", result.Files["Demo.Net+Ensemble.g.cs"]);
        Assert.Empty(result.CompilerDiagnostics);
    }

    [Fact]
    public void A_layer_that_cannot_be_vectorized_falls_back_to_the_loop_form_with_a_warning()
    {
        const string ensemble = "Ensemble(4, Vectorized = true)";
        string source = Model(ensemble, "[Dense(32), BatchNorm, ReLU]\n[Dense(10)]");
        GeneratorResult result = GeneratorHarness.Run(source);
        AssertAt(result, source, ensemble, "MD0043", DiagnosticSeverity.Warning, "[BatchNorm] cannot be vectorized");
        Assert.Contains(": global::ModelDsl.Ensemble<", result.Files["Demo.Net+Ensemble.g.cs"]);
        Assert.True(result.CompilerDiagnostics.IsEmpty, string.Join("\n", result.CompilerDiagnostics));
    }

    private static void AssertAt(GeneratorResult result, string source, string attribute, string id, DiagnosticSeverity severity, string message)
    {
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.Severity);
        Assert.Contains(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        // The generator reports at the attribute's syntax: [Ensemble(…)] without the brackets.
        Assert.Equal(source.IndexOf("[" + attribute + "]", System.StringComparison.Ordinal) + 1, diagnostic.Location.SourceSpan.Start);
        Assert.Equal(attribute.Length, diagnostic.Location.SourceSpan.Length);
    }
}
