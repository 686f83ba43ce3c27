using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Declarations;

/// <summary>
/// The generator's promise, as a property (CsCheck): for random declarations — valid and invalid layer stacks, blocks and
/// options × contexts (namespaces with keyword segments, nested and generic containing types, accessibility, modifiers,
/// records, file classes, keyword identifiers, [Obsolete], several partial parts, C# versions) — the generator never
/// throws, no error or warning is located in a generated file, and every compilation that fails carries an MD error.
/// Seeded and bounded (a few seconds on two cores); CsCheck shrinks a failure to a small declaration, printed as
/// source, which then becomes an ordinary test in <see cref="DeclarationKindsTests"/> or <see cref="DeclarationDiagnosticsTests"/>.
/// </summary>
public class DeclarationPropertyTests
{
    /// <summary>The sweep's fixed seed (a CsCheck PCG seed string).</summary>
    private const string Seed = "0000001diA9e";

    private const int Iterations = 150;

    /// <summary>Layer attributes, valid and invalid, as written in source.</summary>
    private static readonly string[] Layers =
    {
        "Dense(3)", "Dense(2, Init = He)", "Dense(4, Init = Xavier, Activation = Activation.Tanh)", "Dense(0)", "Dense(-1)",
        "Dense(2, Init = (Init)42)", "Dense(2, Activation = (Activation)99)", "Dense(2, InitGain = double.NaN, Init = He)",
        "Dense(2, Group = \"a\\\"b\")", "Dense(2, Group = \"g\")", "Dense(2, WeightNoise = 0.1)", "Dense(2, MaxNorm = double.PositiveInfinity)",
        "Dense(int.MaxValue)", "Flatten", "ReLU", "LeakyReLU(0.2)", "Tanh", "Sigmoid", "GELU", "Softmax", "LogSoftmax",
        "BatchNorm", "LayerNorm", "Dropout(0.5)", "Dropout(Keep = 0.8)", "Dropout(1.5)", "Dropout", "Dropout(0.2, Mode = (DropoutMode)7)",
        "GaussianNoise(0.1)", "GaussianNoise(double.PositiveInfinity)", "Conv2d(4, 3)", "Conv2d(4, 3, Padding = Padding.Same)",
        "MaxPool2d(2)", "AvgPool2d(2)", "GlobalAvgPool", "InstanceNorm", "GroupNorm(2)", "Dropout2d(0.2)", "Custom", "SiLU", "ELU(0.5)", "ELU(0)", "ReLU6", "Hardswish", "Hardsigmoid", "Mish", "Conv2d(4, 3, Groups = 2)", "Conv2d(3, 3, Groups = 3)", "AdaptiveAvgPool2d(3)", "AdaptiveMaxPool2d(2, 5)", "Upsample(2)", "Upsample(1.5, Mode = Interpolation.Bilinear)", "ConvTranspose2d(4, 3, Stride = 2, Padding = 1, OutputPadding = 1)", "ConvTranspose2d(4, 2, Stride = 2, Groups = 2)", "SqueezeExcitation(2)", "SqueezeExcitation(0)", "StochasticDepth(0.1)", "StochasticDepth(1)", "ChannelShuffle(2)", "ChannelShuffle(3)", "ChannelSplit(2, 0)", "ChannelSplit(2, 2)", "ClassToken", "PositionEmbedding", "SelectToken(0)", "SelectToken(9)", "ChannelDense(3)", "LayerScale", "LayerNorm(Channels = true)",
        "Embedding(10, 4)", "Embedding(10, 4, PaddingIndex = 0)", "Embedding(10, 4, PaddingIndex = 10)", "TransformerEncoder(2, 8)", "GlobalAvgPool1d",
        "LSTM(3, ReturnSequences = true)", "Conv1d(3, 2)", "Conv1d(2, 3, Padding = Padding.Same, Stride = 2)", "MaxPool1d(2)", "AvgPool1d(5)",
        "Conv2d(4, 3, Stride = 2, Padding = 1)",
    };

    /// <summary>A block's [Residual] (none half the time), valid and invalid options (issue #17).</summary>
    private static readonly Gen<string> ResidualGen = Gen.Frequency(
        (4, Gen.Const("")),
        (4, Gen.OneOf("Residual", "Residual(Repeat = 2, Activation = Activation.ReLU)", "Residual(Shortcut = Shortcut.Projection)",
            "Residual(Shortcut = Shortcut.Identity)", "Residual(BranchInit = ResidualInit.ZeroGamma)", "Residual(BranchInit = ResidualInit.ZeroWeights)",
            "Residual(BranchInit = ResidualInit.Fixup, Repeat = 3)", "Residual(Repeat = 0)", "Residual(BranchInit = (ResidualInit)9)",
            "Residual(Activation = Activation.Softmax)")));

    private static readonly Gen<string[]> Stack = Gen.OneOf(Layers).Array[0, 4];

    private static readonly Gen<Block> BlockGen =
        from name in Gen.OneOf("Head", "Hidden", "_head", "Dense", "@object", "x", "Summary", "Body")
        from kind in Gen.OneOf(BlockKind.Property, BlockKind.VirtualProperty, BlockKind.NullableProperty, BlockKind.Field, BlockKind.NullableField, BlockKind.ReadonlyField)
        from layers in Gen.OneOf(Layers).Array[1, 3]
        from residual in ResidualGen
        select new Block(name, kind, layers, residual);

    private static readonly Gen<Declaration> Declarations =
        from ns in Gen.OneOf("", "Demo", "Demo.@if", "Demo.Models")
        from containers in Gen.OneOf("partial class Outer{0}", "partial struct S{0}", "partial record R{0}", "static partial class Holder{0}", "partial class G{0}<T>", "partial interface I{0}").Array[0, 2]
        from modifier in Gen.OneOf("", "sealed ", "static ", "abstract ", "record", "struct", "file ")
        from accessibility in Gen.OneOf("public ", "internal ", "private ")
        from name in Gen.OneOf("Net", "@class", "Summary", "Mlp")
        from typeParameters in Gen.OneOf("", "<T>", "<T> where T : struct")
        from primary in Gen.Frequency((5, Gen.Const("")), (1, Gen.Const("(int size)")))
        from obsolete in Gen.OneOf("", "[System.Obsolete(\"old\")] ", "[System.Obsolete(\"gone\", true)] ")
        from shape in Gen.OneOf("4", "1, 8, 8", "3, 16, 16", "int.MaxValue, int.MaxValue, int.MaxValue", "0", "")
        from stack in Stack
        from blocks in BlockGen.Array[0, 2]
        from options in Gen.OneOf("", "[Ensemble(3)]", "[Ensemble(2, Vectorized = true)]", "[Ensemble(2, Aggregation = Aggregation.SoftVote)]",
            "[Ensemble(1)]", "[WeightDecay(L2 = 1e-4)]", "[WeightDecay(\"a\\\"b\", L2 = 0.1)]", "[WeightDecay(\"g\", L2 = 0.1)]", "[Ensemble(2, Aggregation = (Aggregation)9)]")
        from split in Gen.Int[0, 2]
        from twin in Gen.Bool
        from userVar in Gen.Bool
        from version in Gen.OneOf(LanguageVersion.CSharp9, LanguageVersion.CSharp10, LanguageVersion.CSharp12, LanguageVersion.Preview)
        select new Declaration(ns, containers, modifier, accessibility, name, typeParameters, primary, obsolete, shape, stack, blocks, options, split, twin, userVar, version);

    [Fact]
    public void Every_declaration_gets_compiling_code_or_an_MD_error()
        => SeededSweep.Run(Declarations, Check, Seed, Iterations, Print);

    private static string Print(Declaration d) => string.Join("\n// ---- next file ----\n", d.Sources()) + $"\n// C# {d.Version}";

    private static void Check(Declaration declaration)
    {
        GeneratorResult result = GeneratorHarness.Run(new CSharpParseOptions(declaration.Version), declaration.Sources());

        Assert.All(result.RunResult.Results, r => Assert.Null(r.Exception));
        Assert.DoesNotContain(result.RunResult.Diagnostics, d => d.Id == "CS8785");
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "MD0099");
        var inGenerated = result.CompilerDiagnostics.Where(d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true).ToList();
        Assert.True(inGenerated.Count == 0, "in a generated file: " + string.Join("\n", inGenerated));
        if (result.CompilerDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            Assert.True(result.Diagnostics.Any(d => d.Id.StartsWith("MD", System.StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error),
                "the compilation fails without an MD error:\n" + string.Join("\n", result.CompilerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }
    }

    private enum BlockKind { Property, VirtualProperty, NullableProperty, Field, NullableField, ReadonlyField }

    private sealed record Block(string Name, BlockKind Kind, string[] Layers, string Residual)
    {
        /// <summary>Partial properties need C# 13; below it every block is a field (the compiler would reject the property itself).</summary>
        public string Render(bool properties, int index)
        {
            string name = Name + (index == 0 ? "" : index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            string attributes = "[" + (Residual.Length == 0 ? "" : Residual + ", ") + string.Join(", ", Layers) + "]";
            return (Kind, properties) switch
            {
                (BlockKind.Property, true) => $"{attributes} public partial Sequential {name} {{ get; }}",
                (BlockKind.VirtualProperty, true) => $"{attributes} public virtual partial Sequential {name} {{ get; }}",
                (BlockKind.NullableProperty, true) => $"{attributes} internal partial Sequential? {name} {{ get; }}",
                (BlockKind.NullableField, _) => $"{attributes} private Sequential? {name};",
                (BlockKind.ReadonlyField, _) => $"{attributes} private readonly Sequential {name} = null!;",
                _ => $"{attributes} private Sequential {name} = null!;",
            };
        }
    }

    private sealed record Declaration(
        string Namespace, string[] Containers, string Modifier, string Accessibility, string Name, string TypeParameters, string Primary,
        string Obsolete, string Shape, string[] Stack, Block[] Blocks, string Options, int Split, bool Twin, bool UserVar, LanguageVersion Version)
    {
        private const string Usings = "using ModelDsl;\nusing TorchSharp.Modules;\nusing static ModelDsl.Init;\n#pragma warning disable CS8981, CS0169, CS0649, CS8618\n";

        public string[] Sources()
        {
            bool properties = Version >= LanguageVersion.CSharp13;
            // A nested type cannot be 'file'; a type nested in a struct cannot be protected; keep the user's own code legal.
            string modifier = Containers.Length > 0 && Modifier == "file " ? "" : Modifier;
            string accessibility = Containers.Length == 0 && Accessibility == "private " ? "internal " : Accessibility;
            string keyword = modifier is "record" or "struct" ? modifier : "class";
            string head = $"{(modifier is "record" or "struct" ? "" : modifier)}{accessibility}partial {keyword} {Name}{TypeParameters.Split(' ')[0]}{Primary}{(TypeParameters.Contains("where") ? " where T : struct" : "")}";
            string layers = Stack.Length == 0 ? "" : "[" + string.Join(", ", Stack) + "]";
            // Distinct block names (the same name twice is the user's own CS0102).
            var blocks = Blocks.Select((b, i) => b.Render(properties, Blocks.Take(i).Count(o => o.Name == b.Name))).ToList();

            var files = new List<string>();
            string first = $"[Model({Shape})] {Options} {(Split == 1 ? "" : layers)}\n{Obsolete}{head}\n{{\n{string.Join("\n", Split == 2 ? new List<string>() : blocks)}\n}}";
            files.Add(Wrap(first) + "\npublic sealed class CustomAttribute : LayerAttribute { }\n" + (UserVar ? Scoped("public class var { }") : ""));
            if (Split > 0)
            {
                string second = $"{(Split == 1 ? layers : "")}\n{head}\n{{\n{string.Join("\n", Split == 2 ? blocks : new List<string>())}\n}}";
                files.Add(Wrap(second));
            }
            if (Twin)
            {
                // A second model whose full name differs from the first only in case (hint names must differ ignoring case).
                files.Add(Usings + $"namespace {(Namespace.Length == 0 ? "Demo" : Namespace).ToLowerInvariant()}.twin {{ [Model(4)] [Dense(2)] [Ensemble(2)] public partial class {Name} {{ }} }}\n"
                    + $"namespace {(Namespace.Length == 0 ? "Demo" : Namespace).ToUpperInvariant()}.TWIN {{ [Model(4)] [Dense(2)] public partial class {Name} {{ }} }}\n"
                    // A namespace segment and a class whose names differ only in case, each holding a model of the same name.
                    // (in a namespace of their own, so the twins above do not already tell them apart).
                    + $"namespace Pairs.pair {{ [Model(4)] [Dense(2)] public partial class {Name} {{ }} }}\n"
                    + $"namespace Pairs {{ public partial class Pair {{ [Model(4)] [Dense(2)] public partial class {Name} {{ }} }} }}");
            }
            return files.ToArray();
        }

        private string Wrap(string type)
        {
            string text = type;
            for (int i = Containers.Length - 1; i >= 0; i--) text = string.Format(System.Globalization.CultureInfo.InvariantCulture, Containers[i], i) + "\n{\n" + text + "\n}";
            return Usings + Scoped(text);
        }

        private string Scoped(string text) => Namespace.Length == 0 ? text : $"namespace {Namespace}\n{{\n{text}\n}}";
    }
}
