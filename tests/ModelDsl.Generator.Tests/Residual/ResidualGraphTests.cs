using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Planning;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Residual;

/// <summary>
/// A [Residual] unit is planned by the graph planner, like any connection: its plan holds the unit's graph (branch and
/// shortcut read the unit's input, sum adds them), whose shapes agree with the unit's layers.
/// </summary>
public class ResidualGraphTests
{
    private const string Usings = "using ModelDsl;\nusing TorchSharp.Modules;\nusing static ModelDsl.Init;\n";

    /// <summary>Residual blocks of each kind the planner builds: an image stage with projection, identity and pre-activation units, a Fixup feature stage, one inside a graph model.</summary>
    public static TheoryData<string, string> Declarations => new()
    {
        { "stage", ResidualGeneratorTests.Stage },
        { "features", Usings + """
            [Model(6)]
            public partial class Net
            {
                [Residual(Repeat = 3, BranchInit = ResidualInit.Fixup)]
                [Dense(10, Init = He), ReLU, Dense(10)]
                public partial Sequential Body { get; }

                [Dense(2)]
                public partial Sequential Head { get; }
            }
            """ },
        { "pre-activation", Usings + """
            [Model(4, 8, 8)]
            public partial class Net
            {
                [Residual(Repeat = 2, Shortcut = Shortcut.Identity)]
                [BatchNorm, ReLU, Conv2d(4, 3, Padding = 1, Init = He), BatchNorm, ReLU, Conv2d(4, 3, Padding = 1, Init = He)]
                public partial Sequential Body { get; }

                [GlobalAvgPool, Dense(2)]
                public partial Sequential Head { get; }
            }
            """ },
        { "in a graph", Usings + """
            [Model(3, 8, 8)]
            public partial class Net
            {
                [Conv2d(4, 3, Padding = 1, Init = He), ReLU]
                public partial Sequential Stem { get; }

                [Residual(Activation = Activation.ReLU)]
                [Conv2d(6, 3, Stride = 2, Padding = 1, Init = He), ReLU, Conv2d(6, 3, Padding = 1)]
                public partial Sequential Down { get; }

                [From(nameof(Stem)), MaxPool2d(2), Conv2d(6, 1)]
                public partial Sequential Side { get; }

                [Add(nameof(Down), nameof(Side)), GlobalAvgPool, Dense(2)]
                public partial Sequential Head { get; }
            }
            """ },
    };

    [Theory]
    [MemberData(nameof(Declarations))]
    public void Every_unit_is_a_graph_of_branch_shortcut_and_their_sum(string name, string source)
    {
        ModelPlan plan = Plan(source);
        var residuals = plan.Blocks.Where(b => b.Residual is not null).ToList();
        Assert.True(residuals.Count > 0, name);
        foreach (PlannedBlock block in residuals)
        {
            int offset = 0;
            foreach (ResidualUnitPlan unit in block.Residual!.Units)
            {
                GraphPlan graph = unit.Graph!;
                Assert.Equal(new[] { "branch", "shortcut", "sum" }, graph.Nodes.Select(n => n.Local));
                Assert.Equal(new[] { MergeKind.From, MergeKind.From, MergeKind.Add }, graph.Nodes.Select(n => n.Merge));
                Assert.Equal(new[] { "branch", "shortcut" }, graph.Nodes[2].Sources.ToArray());
                Assert.Equal(unit.InputShape, graph.Inputs.Single().Shape);
                // The sum's shape is where the branch's layers end, and the unit's last layer (the activation after the sum) keeps it.
                var layers = block.Layers.Skip(offset).Take(unit.Branch + unit.Shortcut + unit.Activation).ToList();
                Assert.Equal(layers[unit.Branch - 1].OutputShape, graph.Nodes[2].InputShape);
                Assert.Equal(graph.Nodes[2].InputShape, graph.Outputs.Single().Shape);
                if (unit.Shortcut == 0) Assert.Equal(unit.InputShape, graph.Outputs.Single().Shape);
                offset += layers.Count;
            }
            Assert.Equal(block.Layers.Count, offset);
        }
    }

    private static ModelPlan Plan(string source)
    {
        Compilation compilation = GeneratorHarness.Compilation(source);
        INamedTypeSymbol type = compilation.GetTypeByMetadataName("Net")!;
        var syntax = (TypeDeclarationSyntax)type.DeclaringSyntaxReferences.Single().GetSyntax();
        AttributeData model = type.GetAttributes().First(a => a.AttributeClass?.Name == "ModelAttribute");
        ModelDeclaration declaration = ModelParser.Parse(type, syntax, model, withLocations: true, CancellationToken.None);
        PlanResult result = ModelPlanner.Plan(declaration);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id != "MD0094");
        return result.Plan!;
    }
}
