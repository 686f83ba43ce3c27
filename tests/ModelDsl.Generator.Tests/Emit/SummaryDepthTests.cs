using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Emit;

/// <summary>
/// Summary(depth): rows whose dotted name has more parts than the depth fold into their ancestor (torchinfo's depth),
/// joins included; every depth keeps the total; a table of more than 40 rows shows at depth 1 in the class's XML doc.
/// </summary>
public class SummaryDepthTests
{
    private const string Usings = "using ModelDsl;\nusing TorchSharp.Modules;\n";

    private static object Build(string source)
    {
        GeneratorResult result = GeneratorHarness.Run(source).AssertClean();
        Compilation compilation = GeneratorHarness.Compilation(source).AddSyntaxTrees(result.RunResult.GeneratedTrees);
        using var image = new MemoryStream();
        Assert.True(compilation.Emit(image).Success);
        return Activator.CreateInstance(Assembly.Load(image.ToArray()).GetType("Net")!, new object?[] { 1L, null, null })!;
    }

    private static string Summary(object model, int depth) => (string)model.GetType().GetMethod("Summary", new[] { typeof(int) })!.Invoke(model, new object[] { depth })!;

    [Fact]
    public void A_graph_folds_each_block_with_its_join_row_kept()
    {
        object model = Build(Usings + """
            [Model(4)]
            public partial class Net
            {
                [Dense(8), ReLU] public partial Sequential Stem { get; }
                [From(nameof(Stem)), Dense(4)] public partial Sequential Left { get; }
                [From(nameof(Stem)), Dense(4), Tanh] public partial Sequential Right { get; }
                [Concatenate(nameof(Left), nameof(Right)), Dense(2)] public partial Sequential Head { get; }
            }
            """);
        Assert.Equal("""
            Layer                            Output  Params  Init
            -------------------------------  ------  ------  ----------------
            input                            [B, 4]
            stem: 2 layers                   [B, 8]      40
            left.dense: Dense(4)             [B, 4]      36  default U(±1/√8)
            right ← from stem                [B, 8]
            right: 2 layers                  [B, 4]      36
            head ← concatenate(left, right)  [B, 8]
            head.dense: Dense(2)             [B, 2]      18  default U(±1/√8)
            -------------------------------  ------  ------  ----------------
            total                                       130
            """.Replace("\r", ""), Summary(model, 1));  // a block of one layer stays as it is
        string full = (string)model.GetType().GetField("SummaryText")!.GetValue(null)!;
        Assert.Equal(full, Summary(model, 2));
        Assert.Equal(full, Summary(model, 7));
        var error = Assert.Throws<TargetInvocationException>(() => Summary(model, 0)).InnerException;
        Assert.Equal("depth", Assert.IsType<ArgumentOutOfRangeException>(error).ParamName);
    }

    [Fact]
    public void A_long_table_shows_at_depth_1_in_the_class_documentation_and_every_depth_keeps_the_total()
    {
        string source = Usings + """
            [Model(4)]
            public partial class Net
            {
                [Residual(Repeat = 14, Activation = Activation.ReLU), Dense(4), ReLU] public partial Sequential Body { get; }
                [Dense(2)] public partial Sequential Head { get; }
            }
            """;
        string code = GeneratorHarness.Run(source).AssertClean().Single();
        string doc = string.Join("\n", code.Split('\n').TakeWhile(l => !l.Contains("GeneratedCode")).Where(l => l.TrimStart().StartsWith("///")));
        Assert.Contains("/// body: 42 layers", doc);                                   // 14 units of Dense, ReLU and the ReLU after the sum (and 14 identity shortcut rows)
        Assert.Contains("/// 58 rows in all: Summary() shows every layer, Summary(depth: 2) one level down.", doc);
        Assert.DoesNotContain("body.0.dense", doc);
        object model = Build(source);
        Assert.Single(new[] { 1, 2, 3 }.Select(d => Summary(model, d).Split('\n').Single(l => l.StartsWith("total")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).Distinct());
    }
}
