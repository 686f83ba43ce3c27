using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ModelDsl.Benchmarks.Generator;

/// <summary>
/// A synthetic user project of <c>count</c> model classes, one file each (as people write them), in three kinds that
/// rotate: a class-level dense stack, a model of named blocks, and a flatten → dense classifier. Only layers of the dense
/// family (Dense, BatchNorm, LayerNorm, Dropout, activations, Flatten). Plus one file with no model at all, the target of
/// the "unrelated edit".
/// </summary>
internal sealed class ModelCorpus
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> references = new(() =>
    {
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        string[] own = { typeof(ModelAttribute).Assembly.Location, typeof(TorchSharp.torch).Assembly.Location, typeof(Initializers).Assembly.Location };
        return platform.Concat(own).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Preview);

    private ModelCorpus(CSharpCompilation compilation, SyntaxTree unrelated, SyntaxTree edited, int count, bool graphs)
    {
        Graphs = graphs;
        Compilation = compilation;
        UnrelatedTree = unrelated;
        EditedModelTree = edited;
        Count = count;
    }

    public int Count { get; }

    /// <summary>Graph models (branches joined by merges) instead of chains.</summary>
    public bool Graphs { get; }

    /// <summary>The whole project: every model file and the unrelated file, parsed.</summary>
    public CSharpCompilation Compilation { get; }

    /// <summary>The file with no model in it.</summary>
    public SyntaxTree UnrelatedTree { get; }

    /// <summary>The model in the middle of the project, the one the "one-model edit" changes.</summary>
    public SyntaxTree EditedModelTree { get; }

    public static ModelCorpus Create(int count, bool graphs = false)
    {
        var trees = Enumerable.Range(0, count)
            .Select(i => CSharpSyntaxTree.ParseText(graphs ? GraphModel(i, outputs: 10) : Model(i, outputs: 10), ParseOptions, path: $"Models/Model{i}.cs"))
            .ToList();
        SyntaxTree unrelated = CSharpSyntaxTree.ParseText(Unrelated(0), ParseOptions, path: "Util/Helpers.cs");
        trees.Add(unrelated);
        var compilation = CSharpCompilation.Create(
            "UserModels",
            trees,
            references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return new ModelCorpus(compilation, unrelated, trees[count / 2], count, graphs);
    }

    /// <summary>The project after a change to a method body in the file that declares no model.</summary>
    public CSharpCompilation WithUnrelatedEdit(int version = 1)
        => Compilation.ReplaceSyntaxTree(UnrelatedTree, CSharpSyntaxTree.ParseText(Unrelated(version), ParseOptions, path: UnrelatedTree.FilePath));

    /// <summary>The project after changing the output width of one model (in its own file).</summary>
    public CSharpCompilation WithOneModelEdited()
        => Compilation.ReplaceSyntaxTree(EditedModelTree, CSharpSyntaxTree.ParseText(Graphs ? GraphModel(Count / 2, outputs: 11) : Model(Count / 2, outputs: 11), ParseOptions, path: EditedModelTree.FilePath));

    /// <summary>A graph model: a stem, two branches of it, a concatenation, a gated sum, and a head (issue: 500 graph models cold).</summary>
    public static string GraphModel(int i, int outputs) => $$"""
        using ModelDsl;
        using TorchSharp.Modules;
        using static ModelDsl.Init;

        namespace Corpus.Graphs;

        [Model(64)]
        public partial class Graph{{i}}
        {
            [Dense(128, Init = He), BatchNorm, ReLU] public partial Sequential Stem { get; }
            [From(nameof(Stem)), Dense(32, Init = He), ReLU] public partial Sequential Left { get; }
            [From(nameof(Stem)), Dense(32), Tanh] public partial Sequential Right { get; }
            [Concatenate(nameof(Left), nameof(Right)), Dense(64)] public partial Sequential Joined { get; }
            [From(nameof(Stem)), Dense(64), Sigmoid] public partial Sequential Gate { get; }
            [Multiply(nameof(Joined), nameof(Gate)), Dropout(0.2), Dense({{outputs}})] public partial Sequential Head { get; }
        }
        """;

    public static string Model(int i, int outputs) => (i % 3) switch
    {
        0 => $$"""
            using ModelDsl;
            using static ModelDsl.Init;

            namespace Corpus.Dense;

            [Model(784)]
            [Dense(256, Init = He), BatchNorm, ReLU, Dropout(0.5)]
            [Dense(128, Activation = Activation.ReLU, Init = HeUniform), Dropout(Keep = 0.8)]
            [Dense({{outputs}})]
            public partial class Stack{{i}} { }
            """,
        1 => $$"""
            using ModelDsl;
            using TorchSharp.Modules;
            using static ModelDsl.Init;

            namespace Corpus.Blocks;

            [Model(64)]
            public partial class Blocks{{i}}
            {
                [Dense(128, Init = Xavier), LayerNorm, Tanh]
                public partial Sequential Hidden { get; }

                [Dense(64, Init = Xavier), Sigmoid, Dropout(0.2)]
                public partial Sequential Middle { get; }

                [Dense({{outputs}})]
                public partial Sequential Head { get; }
            }
            """,
        _ => $$"""
            using ModelDsl;
            using static ModelDsl.Init;

            namespace Corpus.Images;

            [Model(28, 28)]
            [Flatten]
            [Dense(100, Init = He), LeakyReLU(0.1), BatchNorm]
            [Dense(50, Activation = Activation.GELU, Init = HeUniform), LayerNorm]
            [Dense({{outputs}}), LogSoftmax]
            public partial class Classifier{{i}} { }
            """,
    };

    private static string Unrelated(int version) => $$"""
        namespace Corpus.Util;

        public static class Helpers
        {
            public static int Answer() => {{42 + version}};
        }
        """;
}
