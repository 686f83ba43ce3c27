using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Planning;
using ModelDsl.Generator.Tests.Graph;
using ModelDsl.Generator.Tests.Infrastructure;
using ModelDsl.Generator.Tests.Runtime;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Generator.Tests.Weights;

/// <summary>
/// The state_dict the plan says a model has (each layer rule's tensors, under its block's and unit's names) is the
/// generated TorchSharp module's state_dict exactly: keys, shapes and dtypes, for every layer rule at every input rank it
/// accepts, alone and as a residual branch, and for named layers, graphs, template uses and both ensemble forms. The
/// compile-time check of a weights file (MD0102–MD0105) is only as good as this list, so a new rule that plans no or
/// wrong tensors fails here.
/// </summary>
public class StateDictPlanTests
{
    public static TheoryData<string> RuleNames() => LayerRankSweepTests.RuleNames();

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Every_rule_plans_its_modules_state_dict_at_every_input_rank_alone_and_as_a_residual_branch(string rule)
    {
        int compared = 0;
        foreach (string shape in new[] { "4", "4, 6", "4, 6, 6" })
        {
            compared += Compare(LayerRankSweepTests.Plain(rule)(shape), "Sweep.Net");
            compared += Compare(LayerRankSweepTests.InResidual(rule)(shape), "Sweep.Net");
        }
        Assert.True(compared > 0, $"[{LayerRankSweepTests.Layers[rule]}] was accepted on no input rank");
    }

    [Fact]
    public void Every_rule_plans_a_tensor_for_each_parameter_it_counts()
    {
        // The sweep above checks the tensors; this keeps the summary's parameter count and the tensors one story.
        foreach (string rule in LayerRankSweepTests.Layers.Keys)
        {
            foreach (string shape in new[] { "4", "4, 6", "4, 6, 6" })
            {
                if (Plan(LayerRankSweepTests.Plain(rule)(shape), "Sweep.Net") is not { } plan) continue;
                PlannedLayer layer = plan.Blocks.Single().Layers[0];
                long buffers = layer.Tensors.Where(t => t.Key.EndsWith("running_mean", StringComparison.Ordinal) || t.Key.EndsWith("running_var", StringComparison.Ordinal)
                    || t.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal) || t.Key == "pe" && layer.Parameters == 0).Sum(Size);
                Assert.True(layer.Parameters == layer.Tensors.Sum(Size) - buffers, $"[{LayerRankSweepTests.Layers[rule]}] on [B, {shape}]: {layer.Parameters} parameters, tensors [{string.Join(", ", layer.Tensors)}]");
            }
        }
    }

    [Theory]
    [InlineData("Named", NamedLayers, "Sweep.Net")]
    [InlineData("Graph", GraphGeneratorTests.Inception, "Net")]
    [InlineData("Template", TemplateGeneratorTests.Fire, "Demo.SqueezeNet")]
    [InlineData("Residual stages", Stages, "Sweep.Net")]
    [InlineData("Causal GPT with a tied head", TiedGpt, "Sweep.Net")]
    [InlineData("Dotted layer paths", DottedPaths, "Sweep.Net")]
    public void Blocks_units_and_template_uses_give_full_keys(string what, string source, string type)
        => Assert.True(Compare(source, type) == 1, what + " was refused");

    [Fact]
    public void Dotted_layer_names_give_pytorchs_nested_keys_in_blocks_and_template_uses()
    {
        using var scope = NewDisposeScope();
        var keys = Create(LayerRankSweepTests.Compile(DottedPaths).GetType("Sweep.Net")!).state_dict().Keys.ToHashSet();
        Assert.Contains("stem.0.conv.weight", keys);
        Assert.Contains("stem.0.bn.running_var", keys);
        Assert.Contains("deep.a.b.conv.weight", keys);
        Assert.Contains("deep.a.b.bn.running_mean", keys);
        Assert.Contains("deep.a.c.weight", keys);
        Assert.Contains("deep.1.weight", keys);
        Assert.Contains("use.branch.1.conv.weight", keys);
        Assert.Contains("use.branch.1.bn.bias", keys);
    }

    [Theory]
    [InlineData("Ensemble(3, Seed = 1)")]
    [InlineData("Ensemble(3, Aggregation = Aggregation.WeightedMean, Seed = 1)")]
    [InlineData("Ensemble(3, Aggregation = Aggregation.WeightedMean, Weights = new[] { 0.5, 0.25, 0.25 }, Seed = 1)")]
    [InlineData("Ensemble(4, Vectorized = true, Seed = 1)")]
    public void Ensembles_give_member_or_stacked_keys_and_the_aggregators(string ensemble)
    {
        string source = $"using ModelDsl;\nnamespace Sweep;\n[Model(6)]\n[{ensemble}]\n[Dense(8, Activation = Activation.ReLU), LayerNorm, Dropout(0.1), Dense(3, Bias = false), LogSoftmax]\npublic partial class Net {{ }}\n";
        ModelPlan plan = Plan(source, "Sweep.Net") ?? throw new Xunit.Sdk.XunitException("refused");
        Assembly assembly = LayerRankSweepTests.Compile(source);
        AssertSame(StateDictPlan.OfEnsemble(plan), Create(assembly.GetType("Sweep.NetEnsemble")!), ensemble);
    }

    private const string NamedLayers = """
        using ModelDsl;
        using TorchSharp.Modules;
        namespace Sweep;
        [Model(3, 8, 8)]
        [Conv2d(4, 3, Name = "conv1"), BatchNorm(Name = "bn1"), ReLU]
        public partial class Net
        {
            [Flatten, Dense(5, Name = "fc")] public partial Sequential Classifier { get; }
        }
        """;

    /// <summary>torchvision's nesting (<c>branch2.0.conv</c>) declared with layer names that are paths.</summary>
    private const string DottedPaths = """
        using ModelDsl;
        using TorchSharp.Modules;
        namespace Sweep;
        [Block]
        public partial class Twin
        {
            public const int Width = 4;
            [Conv2d(Width, 1, Bias = false, Name = "0.conv"), BatchNorm(Name = "0.bn"), ReLU, Conv2d(Width, 3, Padding = 1, Name = "1.conv"), BatchNorm(Name = "1.bn")]
            public partial Sequential Branch { get; }
        }
        [Model(3, 8, 8)]
        public partial class Net
        {
            [Conv2d(4, 3, Padding = 1, Bias = false, Name = "0.conv"), BatchNorm(Name = "0.bn"), ReLU(Name = "0.relu")] public partial Sequential Stem { get; }
            [Conv2d(4, 1, Name = "a.b.conv"), BatchNorm(Name = "a.b.bn"), ReLU(Name = "a.b.relu"), Conv2d(4, 1, Name = "a.c"), Conv2d(4, 1, Name = "1")] public partial Sequential Deep { get; }
            [With(nameof(Twin.Width), 6)] public partial Twin Use { get; }
            [GlobalAvgPool, Dense(2)] public partial Sequential Head { get; }
        }
        """;

    private const string TiedGpt = """
        using ModelDsl;
        using TorchSharp.Modules;
        namespace Sweep;
        [Model(Context = 8)]
        [Embedding(12, 8), PositionalEncoding(Learned = true), TransformerEncoder(2, 16, Layers = 2, Causal = true, Init = TransformerInit.Gpt2)]
        public partial class Net
        {
            [LayerNorm, Dense(12, TiedToEmbedding = true)] public partial Sequential Head { get; }
        }
        """;

    private const string Stages = """
        using ModelDsl;
        using TorchSharp.Modules;
        namespace Sweep;
        [Model(3, 8, 8)]
        public partial class Net
        {
            [Conv2d(4, 3, Padding = 1), BatchNorm, ReLU] public partial Sequential Stem { get; }
            [Residual(Repeat = 2, Activation = Activation.ReLU), Conv2d(8, 3, Stride = 2, Padding = 1), BatchNorm, ReLU, Conv2d(8, 3, Padding = 1), BatchNorm]
            public partial Sequential Stage1 { get; }
            [GlobalAvgPool, Dense(2)] public partial Sequential Head { get; }
        }
        """;

    /// <summary>1 when the model was accepted and its planned state_dict equals the real one; 0 when the generator refused it.</summary>
    private static int Compare(string source, string type)
    {
        if (Plan(source, type) is not { } plan) return 0;
        AssertSame(StateDictPlan.Of(plan), Create(LayerRankSweepTests.Compile(source).GetType(type)!), source);
        return 1;
    }

    private static void AssertSame(IEnumerable<PlannedTensor> planned, nn.Module module, string where)
    {
        using var scope = NewDisposeScope();
        var expected = planned.Select(t => $"{t.Key} {t.FormattedShape} {t.SafetensorsType}").Order(StringComparer.Ordinal).ToList();
        var actual = module.state_dict().Select(p => $"{p.Key} [{string.Join(", ", p.Value.shape)}] {Dtype(p.Value.dtype)}").Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.Count == expected.Distinct().Count(), where + ": a key is planned twice");
        Assert.True(expected.SequenceEqual(actual), $"{where}\nplanned:\n  {string.Join("\n  ", expected)}\nstate_dict():\n  {string.Join("\n  ", actual)}");
    }

    private static string Dtype(ScalarType type) => type switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Int64 => "I64",
        _ => type.ToString(),
    };

    private static long Size(PlannedTensor tensor) => tensor.Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The model's plan as the generator makes it, or null when it reports an error.</summary>
    internal static ModelPlan? Plan(string source, string type)
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(source);
        INamedTypeSymbol symbol = compilation.GetTypeByMetadataName(type) ?? throw new InvalidOperationException(type + " not found");
        AttributeData model = symbol.GetAttributes().First(a => a.AttributeClass?.Name == "ModelAttribute");
        var declaration = (TypeDeclarationSyntax)model.ApplicationSyntaxReference!.GetSyntax().FirstAncestorOrSelf<TypeDeclarationSyntax>()!;
        return ModelPlanner.Plan(ModelParser.Parse(symbol, declaration, model, withLocations: false, default)).Plan;
    }

    /// <summary>A module built by its widest constructor: seed 4, every other argument its default.</summary>
    private static nn.Module Create(Type type)
    {
        ConstructorInfo constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        object?[] arguments = constructor.GetParameters().Select(p => p.Name == "seed" ? (object)4L : p.HasDefaultValue ? p.DefaultValue : null).ToArray();
        return (nn.Module)constructor.Invoke(arguments);
    }
}
