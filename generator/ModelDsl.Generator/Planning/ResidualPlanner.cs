using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// Plans a [Residual] block: Repeat units of y = activation(branch(x) + shortcut(x)) (He et al. 2016). Each unit is a
/// small graph planned by <see cref="GraphPlanner"/>, the mechanism behind every connection: a branch node and a
/// shortcut node both read the unit's input, and a sum node joins them as [Add] does, with the activation after it. What
/// is the residual block's own is decided here: the branch is the block's layers, planned by their own rules on the
/// unit's input shape (units after the first drop the branch's strides, as ResNet downsamples only in a stage's first
/// unit); the shortcut is the identity or a projection chosen from the shapes and planned by the Conv2d, BatchNorm and
/// Dense rules from attributes made here; the branch init (zero-γ, zero weights, Fixup) is applied to the planned
/// layers' init calls; and the layers are named as torchvision's ResNet names them.
/// </summary>
internal static class ResidualPlanner
{
    /// <summary>The planned block and its output shape.</summary>
    public sealed record Result(PlannedBlock Block, EquatableArray<long> Output);

    /// <summary>Options a projection takes from the branch's first weight layer: its init scheme and its weight-decay group.</summary>
    private static readonly string[] InheritedOptions = { "Init", "InitGain", "InitMode", "InitValue", "InitMean", "InitStd", "InitLow", "InitHigh", "Group" };

    /// <summary>L of Fixup: the residual units of the whole model (every [Residual] block times its Repeat).</summary>
    public static int Units(ModelDeclaration model)
        => model.Blocks.Where(b => b.Residual is not null).Select(b => b.Residual!.Number("Repeat", 1)).Sum(r => r >= 1 && r <= MaxRepeat ? (int)r : 1);

    /// <summary>The most units one block may stack: far beyond any ResNet stage (ResNet-1202 has 200 per stage), and it bounds the generator's work.</summary>
    public const int MaxRepeat = 1000;

    public static Result? Plan(ModelDeclaration model, BlockDeclaration block, EquatableArray<long> input, IReadOnlyList<AttributeDeclaration> after, int totalUnits, List<DiagnosticInfo> diagnostics)
    {
        AttributeDeclaration residual = block.Residual!;
        string member = block.MemberName!;
        void Report(DiagnosticDescriptor d, params string[] args) => diagnostics.Add(new DiagnosticInfo(d.Id, residual.Location, args.ToEquatableArray()));

        if (model.HasUserForward)
        {
            Report(Descriptors.ResidualWithUserForward, member, model.Type.TypeName);
            return null;
        }
        double repeatValue = residual.Number("Repeat", 1);
        if (!(repeatValue >= 1 && repeatValue <= MaxRepeat))
        {
            Report(Descriptors.ResidualRepeat, member, Invariant.Short(repeatValue));
            return null;
        }
        int repeat = (int)repeatValue;
        string activation = residual.EnumMember("Activation", "None");
        string shortcutMode = residual.EnumMember("Shortcut", "Auto");
        string branchInit = residual.EnumMember("BranchInit", "Default");
        double firstDilationValue = residual.Number("FirstDilation", 0);
        if (!(firstDilationValue >= 0 && firstDilationValue <= 1000 && firstDilationValue == System.Math.Floor(firstDilationValue)))
        {
            Report(Descriptors.ResidualOption, member, $"FirstDilation = {Invariant.Short(firstDilationValue)} is not a dilation; give 1 or more (0 keeps the declared one)");
            return null;
        }
        int firstDilation = (int)firstDilationValue;
        if (activation is "Softmax" or "LogSoftmax")
        {
            Report(Descriptors.ResidualOption, member, $"Activation = {activation} normalizes over classes and belongs at the end of the model, not after a residual sum; use ReLU (post-activation) or None (pre-activation)");
            return null;
        }
        AttributeDeclaration? after_ = activation == "None" ? null : new AttributeDeclaration(activation, EquatableArray<ArgumentValue>.Empty, residual.Location);

        string childName = ModelPlanner.ChildName(member);
        ImmutableArray<BlockDeclaration> nodes = UnitNodes(residual);
        var layers = new List<PlannedLayer>();
        var units = new List<ResidualUnitPlan>();
        EquatableArray<long> shape = input;
        for (int u = 0; u < repeat; u++)
        {
            EquatableArray<long> unitInput = shape;
            List<AttributeDeclaration> declared = u == 0
                ? block.Layers.Select(l => firstDilation > 0 ? WithDilation(l, firstDilation) : l).ToList()
                : block.Layers.Select(WithoutStride).ToList();
            GraphPlanner graph = UnitGraph(model, nodes, unitInput, diagnostics);

            // The branch, each layer by its rule; the init search sees the activation after the sum, then the rest of the model.
            var branch = new List<PlannedLayer>();
            IEnumerable<AttributeDeclaration> afterBranch = (after_ is null ? Enumerable.Empty<AttributeDeclaration>() : new[] { after_ }).Concat(after);
            if (PlanChain(model, declared, shape, i => declared.Skip(i + 1).Concat(afterBranch).ToList(), branch, diagnostics) is not { } output) return null;
            graph.Planned(nodes[Branch], unitInput, output);

            if (!ApplyBranchInit(member, branchInit, branch, totalUnits, Report)) return null;

            bool project = shortcutMode == "Projection" || shortcutMode == "Auto" && !unitInput.Equals(output);
            if (shortcutMode == "Identity" && !unitInput.Equals(output))
            {
                Report(Descriptors.ShortcutDoesNotFit, member, Shapes.Format(unitInput), Shapes.Format(output),
                    "and Shortcut = Shortcut.Identity forbids a projection; make the branch keep the shape, or allow a projection (Shortcut = Shortcut.Auto)");
                return null;
            }
            var shortcut = new List<PlannedLayer>();
            if (project)
            {
                List<AttributeDeclaration>? projection = Projection(member, residual, branch, unitInput, output, Report);
                if (projection is null) return null;
                if (PlanChain(model, projection, unitInput, _ => Array.Empty<AttributeDeclaration>(), shortcut, diagnostics) is not { } s) return null;
                if (!s.Equals(output))
                {
                    Report(Descriptors.ShortcutDoesNotFit, member, Shapes.Format(unitInput), Shapes.Format(output), $"but its projection gives {Shapes.Format(s)}");
                    return null;
                }
            }
            graph.Planned(nodes[Shortcut], unitInput, shortcut.Count == 0 ? unitInput : shortcut[shortcut.Count - 1].OutputShape);
            // The sum is a merge like any other: the graph planner checks that the two fit and gives the joined shape.
            if (graph.InputOf(nodes[Sum]) is not { } sum) return null;
            graph.Planned(nodes[Sum], sum, sum);
            shape = sum;

            // Names: the branch and the activation are numbered together (relu1 in the branch, relu2 after the sum), the shortcut apart.
            var unitParts = new List<PlannedLayer>(branch);
            if (after_ is not null && Layers.ActivationRule.Inline(activation, "Residual", output) is { } post)
            {
                // The sum is a new tensor that only the activation reads (an addition's backward does not read it): rectified in place where the activation can be.
                unitParts.Add(post with { Display = post.Display + " after the sum", Comment = post.Comment + ", applied to branch(x) + shortcut(x)", Source = residual, Construction = post.InPlaceConstruction ?? post.Construction });
            }
            string unit = u.ToString(System.Globalization.CultureInfo.InvariantCulture);
            List<PlannedLayer> named = ModelPlanner.Name(unitParts);
            if (u == 0) LayerNames.Check(block, named, diagnostics);   // every unit repeats the first's names
            layers.AddRange(named.Take(branch.Count).Select(l => l with { Name = unit + "." + l.Name }));
            layers.AddRange(ModelPlanner.Name(shortcut).Select(l => l with { Name = unit + ".shortcut." + l.Name }));
            layers.AddRange(named.Skip(branch.Count).Select(l => l with { Name = unit + "." + l.Name }));
            units.Add(new ResidualUnitPlan(unit, unitInput, branch.Count, shortcut.Count, unitParts.Count - branch.Count) { Graph = graph.Finish(channelsLast: false) });
        }

        var plannedBlock = new PlannedBlock(member, childName, block.Property, block.IsNullable, input, layers.ToEquatableArray())
        {
            Residual = new ResidualPlan(units.ToEquatableArray(), branchInit) { Activation = after_?.Name },
        };
        return new Result(plannedBlock, shape);
    }

    private const int Branch = 0, Shortcut = 1, Sum = 2;

    /// <summary>
    /// A unit's nodes as graph declarations: <c>branch</c> reads the unit's input (a chain's first block), <c>shortcut</c>
    /// reads it too, and <c>sum</c> adds the two and is the unit's output. A merge that does not fit is reported at the
    /// [Residual] attribute.
    /// </summary>
    private static ImmutableArray<BlockDeclaration> UnitNodes(AttributeDeclaration residual)
    {
        static BlockDeclaration Node(string name) => new(name, null, false, EquatableArray<AttributeDeclaration>.Empty, null);
        EquatableArray<string> Sources(params string[] names) => names.ToEquatableArray();
        return ImmutableArray.Create(
            Node("branch"),
            Node("shortcut") with { Input = new NodeInput(MergeKind.From, Sources("input"), residual.Location, EquatableArray<SourceLocation>.Empty) },
            Node("sum") with { Input = new NodeInput(MergeKind.Add, Sources("branch", "shortcut"), residual.Location, EquatableArray<SourceLocation>.Empty), IsOutput = true });
    }

    /// <summary>The graph planner for one unit, its input registered: the unit's nodes are a well-formed graph, so its structure check passes.</summary>
    private static GraphPlanner UnitGraph(ModelDeclaration model, ImmutableArray<BlockDeclaration> nodes, EquatableArray<long> input, List<DiagnosticInfo> diagnostics)
    {
        var unit = new ModelDeclaration(model.Type, null, null, input, nodes.ToEquatableArray(), EquatableArray<AttributeDeclaration>.Empty, false, EquatableArray<DiagnosticInfo>.Empty);
        GraphPlanner graph = GraphPlanner.Begin(unit, diagnostics, out _)!;
        graph.PlanInputs();
        return graph;
    }

    /// <summary>
    /// Plans <paramref name="attributes"/> one after another from <paramref name="input"/>, each by its rule with the
    /// layers that follow it (for the init search); appends the layers and the attribute each came from; returns the
    /// output shape, or null after an error (reported).
    /// </summary>
    private static EquatableArray<long>? PlanChain(ModelDeclaration model, IReadOnlyList<AttributeDeclaration> attributes, EquatableArray<long> input,
        Func<int, IReadOnlyList<AttributeDeclaration>> following, List<PlannedLayer> layers, List<DiagnosticInfo> diagnostics)
    {
        EquatableArray<long> shape = input;
        int start = layers.Count;
        for (int i = 0; i < attributes.Count; i++)
        {
            ImmutableArray<PlannedLayer>? planned = ModelPlanner.PlanLayer(model, attributes[i], shape, following(i), diagnostics, out _);
            if (planned is null) return null;
            layers.AddRange(planned.Value);
            shape = planned.Value[planned.Value.Length - 1].OutputShape;
        }
        InPlaceActivations.Apply(layers, start);
        return shape;
    }

    /// <summary>A repeated unit's copy of a layer: without its Stride, so it keeps the first unit's output size (ResNet's conv3_2, …).</summary>
    private static AttributeDeclaration WithoutStride(AttributeDeclaration layer)
        => LayerRules.Find(layer.Name)?.Traits.StridedInFirstUnitOnly == true && layer.Has("Stride")
            ? layer with { Arguments = layer.Arguments.Where(a => a.Name != "Stride").ToEquatableArray() }
            : layer;

    /// <summary>
    /// The first unit's copy of a dilated convolution under <c>FirstDilation = d</c>: dilation d, and its padding reduced by
    /// (dilation − d) · (kernel − 1) / 2 so the output keeps its size (torchvision's first unit of a dilated stage).
    /// </summary>
    private static AttributeDeclaration WithDilation(AttributeDeclaration layer, int first)
    {
        double dilation = layer.Number("Dilation", 1), kernel = layer.Number("Kernel", 1), padding = layer.Number("Padding", 0);
        if (LayerRules.Find(layer.Name)?.Traits.StridedInFirstUnitOnly != true || dilation <= 1 || layer.Find("Padding") is { Kind: not ArgumentKind.Number }) return layer;
        double reduced = padding - (dilation - first) * (kernel - 1) / 2;
        return layer with
        {
            Arguments = layer.Arguments.Where(a => a.Name is not "Dilation" and not "Padding")
                .Append(new ArgumentValue("Dilation", ArgumentKind.Number, first, null, EquatableArray<double>.Empty))
                .Append(new ArgumentValue("Padding", ArgumentKind.Number, System.Math.Max(0, reduced), null, EquatableArray<double>.Empty))
                .ToEquatableArray(),
        };
    }

    /// <summary>
    /// The projection's layers as attributes for their rules: for images a 1×1 Conv2d without bias whose stride maps the
    /// input's height and width onto the output's, followed by a BatchNorm when the branch has one (torchvision's
    /// downsample); for features a Dense without bias (the branch carries the bias). Init and Group come from the branch's
    /// first weight layer, so the projection is initialized like the branch and decays with its block.
    /// </summary>
    private static List<AttributeDeclaration>? Projection(string member, AttributeDeclaration residual, List<PlannedLayer> branchLayers, EquatableArray<long> input, EquatableArray<long> output, Action<DiagnosticDescriptor, string[]> report)
    {
        var branch = branchLayers.Select(l => l.Source!).ToList();
        AttributeDeclaration? firstWeights = branch.FirstOrDefault(a => LayerRules.Find(a.Name)?.Traits.WeightLayer == true);
        var inherited = firstWeights is null ? new List<ArgumentValue>() : firstWeights.Arguments.Where(a => InheritedOptions.Contains(a.Name)).Select(a => a with { IsPositional = false }).ToList();
        ArgumentValue Number(string name, double value) => new(name, ArgumentKind.Number, value, null, EquatableArray<double>.Empty);
        ArgumentValue Bool(string name, bool value) => new(name, ArgumentKind.Boolean, value ? 1 : 0, null, EquatableArray<double>.Empty);
        AttributeDeclaration Make(string name, IEnumerable<ArgumentValue> arguments) => new(name, arguments.ToEquatableArray(), residual.Location);

        if (input.Count == 3 && output.Count == 3)
        {
            long height = input[1], width = input[2], outHeight = output[1], outWidth = output[2];
            long stride = (height + outHeight - 1) / outHeight; // the smallest stride that reaches the output height
            bool fits = outHeight >= 1 && outWidth >= 1 && (height - 1) / stride + 1 == outHeight && (width - 1) / stride + 1 == outWidth;
            if (!fits)
            {
                report(Descriptors.ShortcutDoesNotFit, new[] { member, Shapes.Format(input), Shapes.Format(output),
                    $"and no 1×1 projection with one stride maps a {height}×{width} map onto {outHeight}×{outWidth}; make the branch scale height and width by the same stride (with padding that keeps ⌈H/s⌉)" });
                return null;
            }
            var parts = new List<AttributeDeclaration>
            {
                Make(Layers.Conv2dRule.Attribute, new[] { Number("OutChannels", output[0]), Number("Kernel", 1), Number("Stride", stride), Bool("Bias", false) }.Concat(inherited)),
            };
            AttributeDeclaration? norm = branch.LastOrDefault(a => LayerRules.Find(a.Name) is Layers.BatchNormRule);
            if (norm is not null) parts.Add(Make(Layers.BatchNormRule.Attribute, norm.Arguments.Where(a => a.Name is "Momentum" or "Eps")));
            return parts;
        }
        if (input.Count == 1 && output.Count == 1)
        {
            return new List<AttributeDeclaration> { Make(Layers.DenseRule.Attribute, new[] { Number("Units", output[0]), Bool("Bias", false) }.Concat(inherited)) };
        }
        report(Descriptors.ShortcutDoesNotFit, new[] { member, Shapes.Format(input), Shapes.Format(output),
            "and a projection exists only from images to images (1×1 Conv2d) or features to features (Dense); keep the input's rank in the branch" });
        return null;
    }

    /// <summary>Applies ZeroGamma, ZeroWeights or Fixup to the branch's planned layers; false after an error.</summary>
    private static bool ApplyBranchInit(string member, string init, List<PlannedLayer> branch, int totalUnits, Action<DiagnosticDescriptor, string[]> report)
    {
        if (init == "Default") return true;
        int lastWeights = branch.FindLastIndex(l => l.Role == LayerRole.Weights);
        const string Api = "global::ModelDsl.Initializers";

        if (init == "ZeroGamma")
        {
            int norm = branch.FindLastIndex(l => l.Gamma is not null);
            if (norm < 0 || norm < lastWeights)
            {
                string why = norm < 0 ? "it has no such norm" : $"its last one ({branch[norm].Display}) comes before its last weight layer ({branch[lastWeights].Display})";
                report(Descriptors.ZeroGammaNeedsNorm, new[] { member, why });
                return false;
            }
            PlannedLayer gammaLayer = branch[norm];
            branch[norm] = gammaLayer with
            {
                Init = gammaLayer.Init.Items.Add(CallPlan.Method(Api + ".Zeros", CallArgument.Parameter(gammaLayer.Gamma!, notNull: true))).ToEquatableArray(),
                InitSummary = "γ=0 (zero-γ), β=0",
                Comment = gammaLayer.Comment + "; γ = 0 (zero-γ): the unit starts as its shortcut",
            };
            return true;
        }

        string need = init == "Fixup" ? "at least two weight layers, the last and every other one Dense or Conv2d" : "a last weight layer that is Dense or Conv2d";
        var weights = Enumerable.Range(0, branch.Count).Where(i => branch[i].Role == LayerRole.Weights).ToList();
        if (weights.Count == 0 || init == "Fixup" && weights.Count < 2)
        {
            report(Descriptors.BranchInitNeedsWeights, new[] { member, init, need, $"the branch has {weights.Count} weight layer{(weights.Count == 1 ? "" : "s")}" });
            return false;
        }
        List<int> touched = init == "Fixup" ? weights : new List<int> { lastWeights };
        int? unsupported = touched.Cast<int?>().FirstOrDefault(i => LayerRules.Find(branch[i!.Value].Source!.Name)?.Traits.PlainWeightTensors != true);
        if (unsupported is { } bad)
        {
            report(Descriptors.BranchInitNeedsWeights, new[] { member, init, need, $"{branch[bad].Display} is a {branch[bad].Kind}" });
            return false;
        }

        PlannedLayer last = branch[lastWeights];
        bool bias = last.Source!.Boolean("Bias", true);
        // Appended after the layer's own init rather than replacing it: every other layer then draws the same numbers as
        // with BranchInit = Default, so the inits compare like with like (and a seed means the same weights).
        var zero = new List<CallPlan>(last.Init) { CallPlan.Method(Api + ".Zeros", CallArgument.Parameter("weight")) };
        CallPlan zeroBias = CallPlan.Method(Api + ".Zeros", CallArgument.Parameter("bias", notNull: true));
        if (bias && !last.Init.Items.Contains(zeroBias)) zero.Add(zeroBias);
        string label = init == "Fixup" ? "Fixup" : "zero-init";
        branch[lastWeights] = last with
        {
            Init = zero.ToEquatableArray(),
            InitSummary = (bias ? "zeros; bias 0" : "zeros") + $" ({label})",
            Comment = last.Comment + $", then zero weights{(bias ? " and bias" : "")} ({label}; drawn first, so the other layers draw as without it): the unit starts as its shortcut",
        };
        if (init == "ZeroWeights") return true;

        if (branch.FirstOrDefault(l => l.Role == LayerRole.Normalization) is { } normalizing) report(Descriptors.FixupWithNorm, new[] { member, normalizing.Display });

        // Fixup rule 2 (Zhang, Dauphin and Ma 2019, §3): scale the branch's other weight layers by L^(−1/(2m−2)).
        int m = weights.Count;
        double factor = Math.Pow(totalUnits, -1.0 / (2 * m - 2));
        string formula = $"; weights scaled by {totalUnits}^(−1/{2 * m - 2}) = {Invariant.Short(factor)} (Fixup, L = {totalUnits}, m = {m})";
        foreach (int i in weights.Where(i => i != lastWeights))
        {
            PlannedLayer layer = branch[i];
            branch[i] = layer with
            {
                Init = layer.Init.Items.Add(CallPlan.Method(Api + ".Scale", CallArgument.Parameter("weight"), CallArgument.Double(factor))).ToEquatableArray(),
                InitSummary = layer.InitSummary + formula,
                Comment = layer.Comment + formula,
            };
        }
        return true;
    }
}
