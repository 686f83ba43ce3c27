using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Graph;

/// <summary>Graph models: branches with [From], the four merges, several inputs and outputs, taps, and the generated forward.</summary>
public class GraphGeneratorTests
{
    internal const string Usings = "using ModelDsl;\nusing TorchSharp.Modules;\nusing static ModelDsl.Init;\n";

    internal const string Inception = Usings + """
        [Model(1, 8, 8)]
        public partial class Net
        {
            [Conv2d(8, 3, Padding = 1), ReLU]
            public partial Sequential Stem { get; }

            [From(nameof(Stem))]
            [Conv2d(4, 1), ReLU]
            public partial Sequential Branch1 { get; }

            [From(nameof(Stem))]
            [Conv2d(6, 3, Padding = 1), ReLU]
            public partial Sequential Branch3 { get; }

            [Concatenate(nameof(Branch1), nameof(Branch3))]
            [MaxPool2d(2)]
            public partial Sequential Mixed { get; }

            [GlobalAvgPool, Dense(3)]
            public partial Sequential Head { get; }
        }
        """;

    internal const string TwoInTwoOut = Usings + """
        namespace Demo;

        [Model]
        [Input("image", 1, 8, 8), Input("meta", 3)]
        public partial class Detector
        {
            [From("image")]
            [Conv2d(4, 3, Padding = 1), ReLU, GlobalAvgPool]
            public partial Sequential Features { get; }

            [From("meta")]
            [Dense(4), ReLU]
            public partial Sequential Context { get; }

            [Multiply(nameof(Features), nameof(Context))]
            public partial Sequential Gated { get; }

            [From(nameof(Gated)), Output]
            [Dense(5)]
            public partial Sequential Class { get; }

            [From(nameof(Gated)), Output]
            [Dense(4), Sigmoid]
            public partial Sequential Box { get; }

            // A tap: the features as a third output, without layers of its own.
            [From(nameof(Features)), Output]
            public partial Sequential Embedding { get; }
        }
        """;

    [Fact]
    public void Branches_read_by_name_and_a_concatenation_joins_them_along_channels()
    {
        string code = GeneratorHarness.Run(Inception).AssertClean().Single();
        Assert.Contains("partial class Net : global::TorchSharp.torch.nn.Module<global::TorchSharp.torch.Tensor, global::TorchSharp.torch.Tensor>", code);
        Assert.Contains("global::TorchSharp.torch.Tensor stem = _stem.forward(input);", code);
        Assert.Contains("global::TorchSharp.torch.Tensor branch1 = _branch1.forward(stem);", code);
        Assert.Contains("global::TorchSharp.torch.Tensor branch3 = _branch3.forward(stem);", code);
        Assert.Contains("global::TorchSharp.torch.Tensor mixed = _mixed.forward(global::TorchSharp.torch.cat(new[] { branch1, branch3 }, 1));", code);
        Assert.Contains("return head;", code);
        // The summary says what each node reads and the joined shape: 4 + 6 channels.
        Assert.Contains("mixed ← concatenate(branch1, branch3)  [B, 10, 8, 8]", code);
        Assert.Contains("branch3 ← from stem ", code);
    }

    [Fact]
    public void Several_inputs_and_outputs_give_a_forward_with_named_parameters_and_an_Outputs_record()
    {
        string code = GeneratorHarness.Run(TwoInTwoOut).AssertClean().Single();
        Assert.Contains("partial class Detector : global::TorchSharp.torch.nn.Module<global::TorchSharp.torch.Tensor, global::TorchSharp.torch.Tensor, Detector.Outputs>", code);
        Assert.Contains("public sealed record Outputs(global::TorchSharp.torch.Tensor Class, global::TorchSharp.torch.Tensor Box, global::TorchSharp.torch.Tensor Embedding);", code);
        Assert.Contains("public override Detector.Outputs forward(global::TorchSharp.torch.Tensor image, global::TorchSharp.torch.Tensor meta)", code);
        Assert.Contains("global::ModelDsl.ShapeGuard.RequireSameBatch(image, \"image\", meta, \"meta\", \"Detector\");", code);
        Assert.Contains("global::TorchSharp.torch.Tensor gated = features * context;", code);
        Assert.Contains("global::TorchSharp.torch.Tensor embedding = features;", code);
        Assert.Contains("return new Outputs(@class, box, embedding);", code);
        Assert.Contains("outputs: Class [B, 5], Box [B, 4], Embedding [B, 4]", code);
    }

    /// <summary>The generated file of a two-input, three-output model (reviewed): the graph as data, the record, the forward.</summary>
    [Fact]
    public void Snapshot_of_a_two_input_three_output_model()
    {
        GeneratorResult result = GeneratorHarness.Run(TwoInTwoOut).AssertClean();
        foreach (var (hint, text) in result.Files) SnapshotAssert.Matches(text, "Graph." + hint);
    }

    [Theory]
    [InlineData("Add", "a + b")]
    [InlineData("Multiply", "a * b")]
    [InlineData("Average", "(a + b) / 2.0")]
    [InlineData("Concatenate", "global::TorchSharp.torch.cat(new[] { a, b }, 1)")]
    public void Each_merge_is_written_as_its_torch_expression(string merge, string expression)
    {
        string code = GeneratorHarness.Run(Usings + $$"""
            [Model(4)]
            public partial class Net
            {
                [Dense(3)] public partial Sequential A { get; }
                [From("input"), Dense(3)] public partial Sequential B { get; }
                [{{merge}}(nameof(A), nameof(B)), Dense(2)] public partial Sequential Joined { get; }
            }
            """).AssertClean().Single();
        Assert.Contains($"global::TorchSharp.torch.Tensor joined = _joined.forward({expression});", code);
    }

    [Fact]
    public void An_ensemble_of_a_model_with_several_outputs_is_MD0097_and_a_vectorized_graph_is_MD0043()
    {
        string several = TwoInTwoOut.Replace("[Model]", "[Model, Ensemble(3)]");
        Assert.Contains(GeneratorHarness.Run(several).Diagnostics, d => d.Id == "MD0097" && d.GetMessage().Contains("[Ensemble] averages one output of one input"));
        string vectorized = Usings + """
            [Model(4), Ensemble(3, Vectorized = true)]
            public partial class Net
            {
                [Dense(3)] public partial Sequential A { get; }
                [From("input"), Dense(3)] public partial Sequential B { get; }
                [Add(nameof(A), nameof(B)), Dense(2)] public partial Sequential Joined { get; }
            }
            """;
        var result = GeneratorHarness.Run(vectorized);
        Assert.Contains(result.Diagnostics, d => d.Id == "MD0043" && d.GetMessage().Contains("graph model"));
        Assert.Empty(result.CompilerDiagnostics);
    }

    [Fact]
    public void A_chain_declared_without_graph_attributes_is_generated_as_before()
    {
        string code = GeneratorHarness.Run(Usings + "[Model(4)] public partial class Net { [Dense(3)] public partial Sequential A { get; } [Dense(2)] public partial Sequential B { get; } }").AssertClean().Single();
        Assert.DoesNotContain("IGraphModel", code);
        Assert.Contains("x = _a.forward(x);", code);
    }

    [Fact]
    public void Shape_mismatches_name_both_shapes_and_sources()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Model(1, 8, 8)]
            public partial class Net
            {
                [Conv2d(4, 3, Padding = 1)] public partial Sequential A { get; }
                [From("input"), Conv2d(4, 3)] public partial Sequential B { get; }
                [Concatenate(nameof(A), nameof(B))] public partial Sequential C { get; }
            }
            """);
        string message = Assert.Single(result.Diagnostics, d => d.Id == "MD0092").GetMessage();
        Assert.Contains("'A' [B, 4, 8, 8] and 'B' [B, 4, 6, 6]", message);
        Assert.Contains("concatenation along channels needs every other dimension equal, and dimension 2 is 8 against 6", message);
    }

    /// <summary>Found by the property test: a model of layerless blocks alone crashed the ensemble planner (MD0099); it is MD0015.</summary>
    [Fact]
    public void A_model_of_joins_and_taps_alone_has_no_layers()
    {
        var result = GeneratorHarness.Run(Usings + "[Model(4), Ensemble(2)] public partial class Net { [Output] public partial Sequential B0 { get; } }");
        Assert.Contains(result.Diagnostics, d => d.Id == "MD0015");
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "MD0099");
    }

    [Fact]
    public void An_ensemble_whose_output_is_a_join_without_layers_is_generated()
    {
        GeneratorHarness.Run(Usings + """
            [Model(4), Ensemble(2, Aggregation = Aggregation.SoftVote)]
            public partial class Net
            {
                [Dense(3)] public partial Sequential A { get; }
                [From("input"), Dense(3)] public partial Sequential B { get; }
                [Average(nameof(A), nameof(B))] public partial Sequential Mean { get; }
            }
            """).AssertClean();
    }

    /// <summary>A graph model with an MD error keeps its signature, so code that calls it fails only with the MD error.</summary>
    [Fact]
    public void A_graph_model_with_an_error_keeps_its_inputs_and_outputs_in_its_surface()
    {
        string broken = TwoInTwoOut.Replace("[Dense(5)]", "[Dense(0)]") + """

            public static class Use
            {
                public static TorchSharp.torch.Tensor Run(Detector model, TorchSharp.torch.Tensor image, TorchSharp.torch.Tensor meta)
                    => model.forward(image, meta).Class;
            }
            """;
        GeneratorResult result = GeneratorHarness.Run(broken);
        Assert.Contains(result.Diagnostics, d => d.Id == "MD0003");
        Assert.Empty(result.CompilerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        result.AssertOnlySurface();
    }
}
