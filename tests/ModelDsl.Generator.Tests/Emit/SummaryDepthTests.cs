using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Emit;

/// <summary>
/// Summary(depth), as torchinfo's depth: rows whose dotted name has more parts than the depth fold into one row for their
/// ancestor, joins and identity shortcuts included; every depth keeps the total; a constant per folded table, none twice;
/// a table of more than 40 rows shows at depth 1 in the class's XML doc. The texts are the compiled model's own.
/// </summary>
public class SummaryDepthTests
{
    private const string Usings = "using ModelDsl;\nusing TorchSharp.Modules;\n";

    /// <summary>docs/getting-started.md shows this model's tables (as ResidualMlp).</summary>
    private const string ResidualModel = Usings + """
        [Model(4)]
        [Dense(8), ReLU]
        public partial class Net
        {
            [Residual(Repeat = 2, Activation = Activation.ReLU), Dense(6), ReLU, Dense(6)] public partial Sequential Body { get; }
            [Dense(2)] public partial Sequential Head { get; }
        }
        """;

    private const string GraphModel = Usings + """
        [Block]
        public partial class Fork
        {
            public const int Width = 4;
            [Dense(Width), ReLU] public partial Sequential Squeeze { get; }
            [Dense(Width)] public partial Sequential Left { get; }
            [From(nameof(Squeeze)), Dense(Width), Tanh] public partial Sequential Right { get; }
            [Concatenate(nameof(Left), nameof(Right))] public partial Sequential Joined { get; }
        }

        [Model(4)]
        public partial class Net
        {
            [Dense(8), ReLU] public partial Sequential Stem { get; }
            [With(nameof(Fork.Width), 3)] public partial Fork Fork1 { get; }
            [From(nameof(Stem)), Dense(6)] public partial Sequential Skip { get; }
            [Concatenate(nameof(Fork1), nameof(Skip)), Dense(2)] public partial Sequential Head { get; }
        }
        """;

    [Fact]
    public void A_residual_block_folds_into_its_units_then_into_one_row()
    {
        object model = Build(ResidualModel);
        Assert.Equal("""
            Layer                   Output  Params  Init
            ----------------------  ------  ------  ----------------
            input                   [B, 4]
            dense: Dense(8)         [B, 8]      40  default U(±1/√4)
            relu: ReLU              [B, 8]
            body: 2 residual units  [B, 6]     228
            head: Dense(2)          [B, 2]      14  default U(±1/√6)
            ----------------------  ------  ------  ----------------
            total                              282
            """.Replace("\r", ""), Summary(model, 1));  // a block of one layer reads as that layer
        Assert.Equal("""
            Layer                                                        Output  Params  Init
            -----------------------------------------------------------  ------  ------  ----------------
            input                                                        [B, 4]
            dense: Dense(8)                                              [B, 8]      40  default U(±1/√4)
            relu: ReLU                                                   [B, 8]
            body.0: residual unit (3-layer branch, projection shortcut)  [B, 6]     144
            body.1: residual unit (3-layer branch, identity shortcut)    [B, 6]      84  default U(±1/√6)
            head.dense: Dense(2)                                         [B, 2]      14  default U(±1/√6)
            -----------------------------------------------------------  ------  ------  ----------------
            total                                                                   282
            """.Replace("\r", ""), Summary(model, 2));  // the identity shortcut's row folds with its unit; its layers agree on their init
        Assert.Contains("\nbody.0.shortcut: Dense(6)         [B, 6]      48  default U(±1/√8)\n", Summary(model, 3));
        // The deepest name, body.0.shortcut.dense, has four parts.
        Assert.Equal(SummaryText(model), Summary(model, 4));
        Assert.Equal(SummaryText(model), Summary(model, int.MaxValue));
        AssertEveryDepthSumsToTheTotal(model, 282);
        var error = Assert.IsType<ArgumentOutOfRangeException>(Assert.Throws<TargetInvocationException>(() => Summary(model, 0)).InnerException);
        Assert.Equal("depth", error.ParamName);
        Assert.StartsWith("The summary depth is 1 or more; 4 or more gives the full table.", error.Message);
    }

    [Fact]
    public void A_graph_folds_a_template_use_with_its_joins_and_keeps_its_nodes_join_rows()
    {
        object model = Build(GraphModel);
        Assert.Equal("""
            Layer                            Output   Params  Init
            -------------------------------  -------  ------  -----------------
            input                            [B, 4]
            stem: 2 layers                   [B, 8]       40  default U(±1/√4)
            fork1: Fork (5 layers)           [B, 6]       51
            skip ← from stem                 [B, 8]
            skip: Dense(6)                   [B, 6]       54  default U(±1/√8)
            head ← concatenate(fork1, skip)  [B, 12]
            head: Dense(2)                   [B, 2]       26  default U(±1/√12)
            -------------------------------  -------  ------  -----------------
            total                                        171
            """.Replace("\r", ""), Summary(model, 1));  // fork1's output is its last row's, the join of left and right
        Assert.Equal("""
            Layer                                    Output   Params  Init
            ---------------------------------------  -------  ------  -----------------
            input                                    [B, 4]
            stem.dense: Dense(8)                     [B, 8]       40  default U(±1/√4)
            stem.relu: ReLU                          [B, 8]
            fork1.squeeze: 2 layers                  [B, 3]       27  default U(±1/√8)
            fork1.left: Dense(3)                     [B, 3]       12  default U(±1/√3)
            fork1.right ← from squeeze               [B, 3]
            fork1.right: 2 layers                    [B, 3]       12  default U(±1/√3)
            fork1.joined ← concatenate(left, right)  [B, 6]
            skip ← from stem                         [B, 8]
            skip.dense: Dense(6)                     [B, 6]       54  default U(±1/√8)
            head ← concatenate(fork1, skip)          [B, 12]
            head.dense: Dense(2)                     [B, 2]       26  default U(±1/√12)
            ---------------------------------------  -------  ------  -----------------
            total                                                171
            """.Replace("\r", ""), Summary(model, 2));
        Assert.Equal(SummaryText(model), Summary(model, 3));
        AssertEveryDepthSumsToTheTotal(model, 171);
    }

    [Fact]
    public void Each_folded_table_is_one_constant_and_a_model_of_class_level_layers_has_none()
    {
        string chain = GeneratorHarness.Run(Usings + """
            [Model(4)]
            public partial class Net
            {
                [Dense(8), ReLU] public partial Sequential Body { get; }
                [Dense(2)] public partial Sequential Head { get; }
            }
            """).AssertClean().Single();
        Assert.Single(Regex.Matches(chain, "private const string SummaryDepth"));
        Assert.Contains("""
                public string Summary(int depth) => depth switch
                {
                    < 1 => throw new global::System.ArgumentOutOfRangeException(nameof(depth), depth, "The summary depth is 1 or more; 2 or more gives the full table."),
                    1 => SummaryDepth1,
                    _ => SummaryText,
                };
            """.Replace("\r", ""), chain);
        string flat = GeneratorHarness.Run(Usings + "[Model(4)] [Dense(8), ReLU, Dense(2)] public partial class Net { }").AssertClean().Single();
        Assert.DoesNotContain("SummaryDepth", flat);
        Assert.Contains("""
                public string Summary(int depth) => depth switch
                {
                    < 1 => throw new global::System.ArgumentOutOfRangeException(nameof(depth), depth, "The summary depth is 1 or more."),
                    _ => SummaryText,
                };
            """.Replace("\r", ""), flat);
    }

    /// <summary>38 rows plus the class-level layers: 40 stay in the doc as they are, 41 show at depth 1 and say how many there are.</summary>
    [Theory]
    [InlineData("[Dense(4), ReLU]", 40)]
    [InlineData("[Dense(4), ReLU, Dense(4)]", 41)]
    public void Past_40_rows_the_class_documentation_shows_depth_1(string classLayers, int rows)
    {
        string code = GeneratorHarness.Run(Usings + $$"""
            [Model(4)]
            {{classLayers}}
            public partial class Net
            {
                [Residual(Repeat = 9, Activation = Activation.ReLU), Dense(4), ReLU] public partial Sequential Body { get; }
                [Dense(2)] public partial Sequential Head { get; }
            }
            """).AssertClean().Single();
        string doc = string.Join("\n", code.Split('\n').TakeWhile(l => !l.Contains("GeneratedCode")).Where(l => l.StartsWith("/// ") && !l.StartsWith("/// <"))
            .Skip(1).Select(l => l.Substring(4)));  // the table's lines, after the sentence above it
        string full = Verbatim(code, "SummaryText");
        Assert.Equal(rows, full.Split('\n').Length - 4);  // less the header, the two rules and the total
        if (rows <= 40) Assert.Equal(full, doc);
        else Assert.Equal(Verbatim(code, "SummaryDepth1") + "\n41 rows in all: Summary() shows every layer, Summary(depth: 2) one level down.", doc);
        Assert.Contains(rows <= 40 ? "(the same as this class's documentation)" : "(this class's documentation shows it at depth 1)", code);
    }

    /// <summary>At every depth, and past the deepest, the total row is the model's and the rows' parameters add up to it.</summary>
    private static void AssertEveryDepthSumsToTheTotal(object model, long total)
    {
        for (int depth = 1; depth <= 6; depth++)
        {
            string[] lines = Summary(model, depth).Split('\n');
            string[] rules = lines[1].Split("  ");  // the rule under the header: a run of dashes per column
            int start = rules[0].Length + 2 + rules[1].Length + 2, width = rules[2].Length;
            long Params(string line) => line.Length <= start || line.Substring(start, Math.Min(width, line.Length - start)).Trim() is not { Length: > 0 } cell
                ? 0 : long.Parse(cell, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            string[] body = lines.Skip(2).TakeWhile(l => !l.StartsWith("---")).ToArray();
            Assert.Equal(total, Params(lines.Single(l => l.StartsWith("total"))));
            Assert.Equal(total, body.Sum(Params));
        }
    }

    /// <summary>A constant's text as the generated code spells it (a verbatim string).</summary>
    private static string Verbatim(string code, string name)
        => Regex.Match(code, name + " =\\s*@\"((?:[^\"]|\"\")*)\";").Groups[1].Value.Replace("\"\"", "\"");

    private static object Build(string source) => GeneratorHarness.Instantiate<object>(source);

    private static string Summary(object model, int depth) => (string)model.GetType().GetMethod("Summary", new[] { typeof(int) })!.Invoke(model, new object[] { depth })!;

    private static string SummaryText(object model) => (string)model.GetType().GetField("SummaryText")!.GetValue(null)!;
}
