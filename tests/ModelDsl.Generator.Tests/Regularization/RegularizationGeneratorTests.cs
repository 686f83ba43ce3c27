using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Regularization;

/// <summary>Snapshots and diagnostics for [WeightDecay], Group, WeightNoise, MaxNorm and [GaussianNoise].</summary>
public class RegularizationGeneratorTests
{
    private const string Grouped = """
        using ModelDsl;
        using TorchSharp.Modules;
        using static ModelDsl.Init;

        namespace Demo;

        [Model(20)]
        [WeightDecay("body", L2 = 1e-4, IncludeNorm = true)]
        [WeightDecay("head", L2 = 1e-3, L1 = 1e-5, IncludeBias = true)]
        [WeightDecay(L2 = 5e-4)]
        [GaussianNoise(0.1)]
        [Dense(32, Init = He, Group = "body", MaxNorm = 3), BatchNorm, ReLU]
        [Dense(16, WeightNoise = 0.01), ReLU]
        public partial class Grouped
        {
            [Dense(4, Group = "head", MaxNorm = 2.5)]
            public partial Sequential Head { get; }
        }
        """;

    [Fact]
    public void Weight_decay_groups_weight_noise_max_norm_and_noise_generate_clean_code()
    {
        GeneratorResult result = GeneratorHarness.Run(Grouped).AssertClean();
        string code = result.Single();
        // Which parameters each group decays, decided at compile time: the norm after a body layer joins body;
        // head includes its bias; the default group has the ungrouped Dense's weight only.
        Assert.Contains("new(\"body\", L2: 0.0001, L1: 0.0, new[] { \"dense1.weight\", \"batchnorm.weight\", \"batchnorm.bias\" }),", code);
        Assert.Contains("new(\"head\", L2: 0.001, L1: 1E-05, new[] { \"head.dense.weight\", \"head.dense.bias\" }),", code);
        Assert.Contains("new(\"default\", L2: 0.0005, L1: 0.0, new[] { \"dense2.weight\" }),", code);
        Assert.Contains("global::ModelDsl.IWeightDecayModel, global::ModelDsl.IConstrainedModel", code);
        Assert.Contains("new global::ModelDsl.NoisyLinear(global::TorchSharp.torch.nn.Linear(32, 16", code);
        Assert.Contains("new(\"head.dense.weight\", 2.5),", code);
        SnapshotAssert.Matches(code, "Regularization.Demo.Grouped.g.cs");
    }

    [Fact]
    public void Models_without_regularization_get_no_extra_members()
    {
        string code = GeneratorHarness.Run(Sources.Card).AssertClean().Single();
        Assert.DoesNotContain("Penalty", code);
        Assert.DoesNotContain("IWeightDecayModel", code);
        Assert.DoesNotContain("ApplyConstraints", code);
    }

    [Fact]
    public void Gaussian_noise_on_inputs_generates_clean_code()
    {
        const string source = """
            using ModelDsl;
            namespace Demo;
            [Model(8)]
            [GaussianNoise(0.5), Dense(4), GaussianNoise(0.2), Dense(1)]
            public partial class Noisy { }
            """;
        string code = GeneratorHarness.Run(source).AssertClean().Single();
        Assert.Contains("noise1 = new global::ModelDsl.GaussianNoise(std: 0.5);", code);
        Assert.Contains("noise2 = new global::ModelDsl.GaussianNoise(std: 0.2);", code);
        SnapshotAssert.Matches(code, "Regularization.Demo.Noisy.g.cs");
    }

    [Theory]
    // MD0020: a layer names a group that is never declared; reported at that layer's attribute.
    [InlineData("[WeightDecay(L2 = 1e-4)]", "[Dense(4, Group = \"body\")]", "MD0020", DiagnosticSeverity.Error, "Dense(4, Group = \"body\")")]
    // MD0021: a declared group nobody uses; reported at the declaration.
    [InlineData("[WeightDecay(\"head\", L2 = 1e-4)]", "[Dense(4)]", "MD0021", DiagnosticSeverity.Warning, "WeightDecay(\"head\", L2 = 1e-4)")]
    [InlineData("[WeightDecay(L2 = 1e-4)]", "[Dense(4, Group = \"x\")]", "MD0020", DiagnosticSeverity.Error, "Dense(4, Group = \"x\")")]
    // MD0022: negative strengths, on the group and on layer options.
    [InlineData("[WeightDecay(L2 = -1e-4)]", "[Dense(4)]", "MD0022", DiagnosticSeverity.Error, "WeightDecay(L2 = -1e-4)")]
    [InlineData("[WeightDecay(L1 = -2)]", "[Dense(4)]", "MD0022", DiagnosticSeverity.Error, "WeightDecay(L1 = -2)")]
    [InlineData("", "[Dense(4, WeightNoise = -0.1)]", "MD0022", DiagnosticSeverity.Error, "Dense(4, WeightNoise = -0.1)")]
    [InlineData("", "[Dense(4, MaxNorm = -1)]", "MD0022", DiagnosticSeverity.Error, "Dense(4, MaxNorm = -1)")]
    [InlineData("", "[GaussianNoise(-0.5), Dense(4)]", "MD0022", DiagnosticSeverity.Error, "GaussianNoise(-0.5)")]
    // MD0023: the same group twice; reported at the second declaration.
    [InlineData("[WeightDecay(L2 = 1e-4)][WeightDecay(L2 = 1e-3)]", "[Dense(4)]", "MD0023", DiagnosticSeverity.Error, "WeightDecay(L2 = 1e-3)")]
    public void Invalid_regularization_is_a_diagnostic_at_the_attribute(string declarations, string layers, string id, DiagnosticSeverity severity, string at)
    {
        string source = $$"""
            using ModelDsl;
            namespace Demo;
            [Model(8)]
            {{declarations}}
            {{layers}}
            public partial class Bad { }
            """;
        GeneratorResult result = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(result.Diagnostics, d => d.Id == id);
        Assert.Equal(severity, diagnostic.Severity);
        Assert.Equal("Model0.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(at, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.DoesNotContain(result.Diagnostics, d => d.Id != id && d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void Weight_noise_on_a_layer_other_than_dense_is_MD0024()
    {
        // Dense is the only parametrized layer this branch has, so a layer whose module is not a Linear (a future
        // Conv2d) is fed to the planner directly: WeightNoise on it must be MD0024, not a silently ignored option.
        var source = new ModelDsl.Generator.Model.AttributeDeclaration("Conv2d",
            new[] { new ModelDsl.Generator.Model.ArgumentValue("WeightNoise", ModelDsl.Generator.Model.ArgumentKind.Number, 0.1, null, default) }.ToEquatableArray(),
            null);
        var layer = new ModelDsl.Generator.Model.PlannedLayer("conv", "Conv2d(4)", "global::TorchSharp.Modules.Conv2d",
            ModelDsl.Generator.Model.CallPlan.Method("x"), default, "", default, 10, "") { Kind = "Conv2d", Role = ModelDsl.Generator.Model.LayerRole.Weights, Source = source };
        var blocks = new System.Collections.Generic.List<ModelDsl.Generator.Model.PlannedBlock>
        {
            new(null, null, null, false, default, new[] { layer }.ToEquatableArray()),
        };
        var diagnostics = new System.Collections.Generic.List<ModelDsl.Generator.Model.DiagnosticInfo>();
        var model = new ModelDsl.Generator.Model.ModelDeclaration(
            new ModelDsl.Generator.Model.TypeHierarchy(null, default, new("class", "M", default, "public"), "M"), null, null, default, default, default, false, default);
        ModelDsl.Generator.Planning.RegularizationPlanner.Plan(model, blocks, diagnostics);
        var info = Assert.Single(diagnostics);
        Assert.Equal("MD0024", info.Id);
        Assert.Equal(DiagnosticSeverity.Error, Diagnostics.Descriptors.ById(info.Id).DefaultSeverity);
    }
}
