using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// The one mechanism for connections: every block reads a value (the block before it, or what its [From] or merge
/// names) and produces one. The planner checks the graph's structure once (names exist, are declared above the reader,
/// merges join two or more, names are unique, every value reaches an output), then, as <see cref="ModelPlanner"/> walks
/// the blocks, gives each its input shape from the shapes of what it reads (checking that merges fit) and records its
/// output shape. A chain (no graph attribute) is not planned here and keeps its generated forward.
/// </summary>
internal sealed class GraphPlanner
{
    /// <summary>The most inputs a generated forward takes: TorchSharp's Module&lt;T1, …, T6, TResult&gt;.</summary>
    public const int MaxInputs = 6;

    private readonly ModelDeclaration model;
    private readonly List<DiagnosticInfo> diagnostics;
    private readonly Dictionary<string, Value> values = new(System.StringComparer.Ordinal);
    private readonly List<GraphValue> inputs = new();
    private readonly List<GraphNode> nodes = new();
    private readonly List<(string Name, Value Value)> outputs = new();
    private readonly Dictionary<string, EquatableArray<long>> shapes = new(System.StringComparer.Ordinal);
    private readonly Dictionary<string, TokenInput> tokenInputs = new(System.StringComparer.Ordinal);
    private readonly List<PaddingMaskPlan> paddingMasks = new();
    private Value? previous;

    /// <summary>
    /// A value a block can read: its local in the generated forward, its name in messages, its shape, the input whose steps
    /// it carries (every value it came from came from that input; null when they differ), and whether that input's token
    /// padding mask is valid for its steps.
    /// </summary>
    private sealed record Value(string Local, string Name, EquatableArray<long> Shape, string? Origin, bool Masked = false);

    private GraphPlanner(ModelDeclaration model, List<DiagnosticInfo> diagnostics)
    {
        this.model = model;
        this.diagnostics = diagnostics;
    }

    /// <summary>
    /// Checks the structure of a graph model and returns its planner, or null for a chain. After a structural error
    /// (reported) it returns null too and <paramref name="broken"/> is set: shapes are not inferred over a wrong graph.
    /// </summary>
    public static GraphPlanner? Begin(ModelDeclaration model, List<DiagnosticInfo> diagnostics, out bool broken)
    {
        broken = false;
        if (!IsGraph(model)) return null;
        var planner = new GraphPlanner(model, diagnostics);
        int before = diagnostics.Count;
        planner.CheckStructure();
        broken = diagnostics.Skip(before).Any(d => Descriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error);
        return broken ? null : planner;
    }

    /// <summary>Whether the model is a graph: graph attributes, templates, or a layer that reads another value (a decoder's Memory).</summary>
    public static bool IsGraph(ModelDeclaration model) => model.IsGraph || model.Blocks.Any(b => b.Layers.Any(l => ValuesRead(l).Any()));

    /// <summary>The values a layer attribute names in the options its rule reads other values from (<see cref="LayerRule.ValueOptions"/>).</summary>
    public static IEnumerable<string> ValuesRead(AttributeDeclaration layer)
        => layer.IsCustom || LayerRules.Find(layer.Name) is not { } rule ? Enumerable.Empty<string>() : rule.ValueOptions.Select(layer.Text).OfType<string>();

    private void Report(DiagnosticDescriptor descriptor, LocationInfo? at, params string[] args)
        => diagnostics.Add(new DiagnosticInfo(descriptor.Id, at, args.ToEquatableArray()));

    /// <summary>The shapes of the model's inputs: the [Input]s, or the one of [Model(...)] named "input".</summary>
    public IReadOnlyList<(string Name, EquatableArray<long> Shape)> InputShapes
        => model.Inputs.Count > 0 ? model.Inputs.Select(i => (i.Name, i.Shape)).ToList() : new[] { ("input", model.InputShape) };

    private void CheckStructure()
    {
        LocationInfo? at = model.ModelAttributeLocation ?? model.Location;
        if (model.Inputs.Count > 0 && model.InputShape.Count > 0)
            Report(Descriptors.GraphNotSupported, at, model.Type.TypeName, "the input shape is declared by both [Model(...)] and [Input(...)]; with [Input]s write [Model] without a shape");
        if (model.Inputs.Count > MaxInputs)
            Report(Descriptors.GraphNotSupported, model.Inputs[MaxInputs].Location ?? at, model.Type.TypeName, $"a generated forward takes at most {MaxInputs} inputs (TorchSharp's Module<T1, …, T6, TResult>); join some inputs into one tensor");
        if (model.HasUserForward)
            Report(Descriptors.GraphNotSupported, at, model.Type.TypeName, "[From], merges, [Input] and [Output] wire the generated forward, and the class writes its own forward(Tensor); remove one of them");

        // Every readable name, in declaration order: inputs first, then blocks by member name.
        var declared = new Dictionary<string, (int Order, string Kind, LocationInfo? At)>(System.StringComparer.Ordinal);
        var locals = new Dictionary<string, string>(System.StringComparer.Ordinal); // local → what it names, for MD0096
        foreach (InputDeclaration input in model.Inputs)
        {
            if (!SyntaxFacts.IsValidIdentifier(input.Name) || SyntaxFacts.GetKeywordKind(input.Name) != SyntaxKind.None)
                Report(Descriptors.GraphNotSupported, input.Location, model.Type.TypeName, $"the input name '{input.Name}' is no C# identifier; it names a forward parameter, so use one such as \"image\"");
            if (input.Shape.Count == 0 || input.Shape.Any(d => d <= 0))
                Report(Descriptors.NonPositiveSize, input.Location, $"Every dimension of the input '{input.Name}'", "[" + string.Join(", ", input.Shape.Select(d => d == long.MinValue ? "?" : Invariant.Count(d))) + "]");
            Declare(input.Name, input.Name, $"the input '{input.Name}'", -1, input.Location, declared, locals);
        }
        if (model.Inputs.Count == 0) Declare("input", "input", "the model's input", -1, null, declared, locals);
        foreach (InputDeclaration input in model.Inputs) locals[MaskLocal(input.Name)] = $"the padding mask of the input '{input.Name}'";

        for (int i = 0; i < model.Blocks.Count; i++)
        {
            BlockDeclaration block = model.Blocks[i];
            if (block.MemberName is null)
            {
                if (model.Inputs.Count > 1)
                    Report(Descriptors.GraphNotSupported, block.Location ?? at, model.Type.TypeName, "layers on the class read the one input of a chain, and this model has several [Input]s; put them on a named block with [From(\"name\")]");
                locals["x"] = "the class-level layers' output";
                continue;
            }
            Declare(block.MemberName, ModelPlanner.ChildName(block.MemberName), $"block {block.MemberName}", i, block.Location, declared, locals);
        }

        var read = new HashSet<string>(System.StringComparer.Ordinal);
        string? previous = null; // the block before, which a block without [From] or a merge reads (null: the class-level layers)
        // The names a block could read, for the message about one it cannot: built only for that message.
        string Readable() => string.Join(", ", declared.Keys.Select(k => "'" + k + "'"));
        for (int i = 0; i < model.Blocks.Count; i++)
        {
            BlockDeclaration block = model.Blocks[i];
            string name = block.MemberName ?? "the class-level layers";
            if (block.Input is not { } input)
            {
                if (i > 0)
                {
                    if (previous is not null) read.Add(previous);
                }
                else if (model.Inputs.Count == 1 || model.Inputs.Count == 0) read.Add(model.Inputs.Count == 1 ? model.Inputs[0].Name : "input");
                else Report(Descriptors.GraphNotSupported, block.Location, model.Type.TypeName, $"block {name} is the first and the model has several inputs; say which it reads with [From(\"…\")] or a merge");
            }
            else
            {
                if (input.Merge != MergeKind.From && input.Sources.Count < 2)
                    Report(Descriptors.GraphMergeOfOne, input.Location, input.AttributeName, name, input.Sources.Count == 0 ? "nothing" : $"only '{input.Sources[0]}'");
                for (int s = 0; s < input.Sources.Count; s++)
                {
                    string source = input.Sources[s];
                    if (!declared.TryGetValue(source, out var target))
                        Report(Descriptors.GraphUnknownSource, input.SourceLocation(s), name, source, model.Type.TypeName, Readable());
                    else if (target.Order >= i)
                        Report(Descriptors.GraphReadsLater, input.SourceLocation(s), name, source, target.Order == i ? "which is itself" : "which is declared after it");
                    else read.Add(source);
                }
            }
            // A layer that reads another value (a decoder's memory) reads it too; its rule reports a name it cannot read.
            foreach (string value in block.Layers.SelectMany(ValuesRead))
                if (declared.TryGetValue(value, out var target) && target.Order < i) read.Add(value);
            previous = block.MemberName;
        }

        // A value nothing reads must be an output; without any [Output] the last block is the output.
        bool anyOutput = model.Blocks.Any(b => b.IsOutput);
        foreach (var entry in declared)
        {
            if (read.Contains(entry.Key)) continue;
            BlockDeclaration? block = model.Blocks.FirstOrDefault(b => b.MemberName == entry.Key);
            bool output = block is not null && (block.IsOutput || !anyOutput && block == model.Blocks[model.Blocks.Count - 1]);
            if (!output)
                Report(Descriptors.GraphUnusedNode, entry.Value.At, block is null ? "Input" : "Block", entry.Key, block is null ? "" : "(" + (block.Layers.Count == 0 ? "no layers" : block.Layers.Count + " layer" + (block.Layers.Count == 1 ? "" : "s")) + ")");
        }
    }

    private void Declare(string name, string local, string what, int order, LocationInfo? at, Dictionary<string, (int, string, LocationInfo?)> declared, Dictionary<string, string> locals)
    {
        if (locals.TryGetValue(local, out string? other))
        {
            Report(Descriptors.GraphDuplicateName, at, local, other, what);
            return;
        }
        locals[local] = what;
        declared[name] = (order, what, at);
    }

    /// <summary>Registers the inputs' values; called once before the blocks are planned.</summary>
    public void PlanInputs()
    {
        foreach ((string name, EquatableArray<long> shape) in InputShapes)
        {
            var value = new Value(name, name, shape, Origin: name);
            values[name] = value;
            inputs.Add(new GraphValue(name, name, shape));
            previous ??= value;
        }
    }

    /// <summary>
    /// The shape block <paramref name="block"/> receives: the previous value's, or its join of the values it names. Null
    /// after a merge that does not fit (reported on the merge).
    /// </summary>
    public EquatableArray<long>? InputOf(BlockDeclaration block)
    {
        string name = block.MemberName ?? "the class-level layers";
        if (block.Input is not { } input) return previous!.Shape;
        // Every source was planned: the structure check put it above this block, and planning stops at the first error.
        List<Value> sources = Sources(input);
        if (input.Merge == MergeKind.From) return sources[0].Shape;

        EquatableArray<long> first = sources[0].Shape;
        for (int s = 1; s < sources.Count; s++)
        {
            string? problem = Mismatch(input.Merge, first, sources[s].Shape);
            if (problem is null) continue;
            Report(Descriptors.GraphMergeShapes, input.SourceLocation(s), input.AttributeName, name, sources[0].Name, Shapes.Format(first), sources[s].Name, Shapes.Format(sources[s].Shape), problem);
            return null;
        }
        return Join(input.Merge, sources.Select(s => s.Shape).ToList());
    }

    /// <summary>Why two shapes cannot be joined, or null when they can. Ranks must agree: the batch dimension comes first in both.</summary>
    private static string? Mismatch(MergeKind merge, EquatableArray<long> a, EquatableArray<long> b)
    {
        if (a.Count != b.Count)
            return $"{merge} needs shapes of the same rank (PyTorch would align the batch dimension of one with a feature dimension of the other)";
        if (merge == MergeKind.Concatenate)
        {
            int along = ConcatAxis(a) - 1;
            for (int d = 0; d < a.Count; d++)
            {
                if (d != along && a[d] != b[d])
                    return $"concatenation along {(a.Count == 3 ? "channels" : "features")} needs every other dimension equal, and dimension {d + 1} is {a[d]} against {b[d]}";
            }
            return null;
        }
        for (int d = 0; d < a.Count; d++)
        {
            if (a[d] != b[d] && a[d] != 1 && b[d] != 1)
                return $"element-wise {merge.ToString().ToLowerInvariant()} needs each dimension equal or 1 (PyTorch's broadcasting), and dimension {d + 1} is {a[d]} against {b[d]}";
        }
        return null;
    }

    /// <summary>The dimension (batch = 0) a concatenation runs along: channels (1) for images [C, H, W], else the last (features).</summary>
    public static int ConcatAxis(EquatableArray<long> shape) => shape.Count == 3 ? 1 : shape.Count;

    private static EquatableArray<long> Join(MergeKind merge, List<EquatableArray<long>> shapes)
    {
        long[] joined = shapes[0].ToArray();
        if (merge == MergeKind.Concatenate)
        {
            int along = ConcatAxis(shapes[0]) - 1;
            joined[along] = checked(shapes.Aggregate(0L, (t, s) => checked(t + s[along])));
            return joined.ToEquatableArray();
        }
        foreach (EquatableArray<long> shape in shapes.Skip(1))
        {
            for (int d = 0; d < joined.Length; d++) joined[d] = System.Math.Max(joined[d], shape[d]);
        }
        return joined.ToEquatableArray();
    }

    /// <summary>
    /// Whether the token padding mask is valid for what <paramref name="input"/> joins: every value it reads is a sequence
    /// still aligned with the steps of one token input, and a merge keeps the steps (all of one length T).
    /// </summary>
    public bool Masked(NodeInput input)
    {
        if (input.Sources.Count == 0) return true;
        Value first = values[input.Sources[0]];
        foreach (string source in input.Sources)
        {
            Value value = values[source];
            if (!(value.Masked && value.Origin == first.Origin && value.Shape.Count == 2 && value.Shape[0] == first.Shape[0])) return false;
        }
        return true;
    }

    /// <summary>The values <paramref name="input"/> reads, in order.</summary>
    private List<Value> Sources(NodeInput input)
    {
        var sources = new List<Value>(input.Sources.Count);
        foreach (string source in input.Sources) sources.Add(values[source]);
        return sources;
    }

    /// <summary>The input <paramref name="block"/> reads as it is (by [From] or as the value before it), or null: an [Embedding] reads token ids only there.</summary>
    public string? InputRead(BlockDeclaration block)
    {
        Value? read = block.Input switch { null => previous, { Merge: MergeKind.From } from => values[from.Sources[0]], _ => null };
        return read is not null && inputs.Any(i => i.Node == read.Local) ? read.Local : null;
    }

    /// <summary>
    /// Records that an [Embedding] of <paramref name="block"/> reads the block's input as token ids; reports a second
    /// Embedding of the same input with another padding id (one input has one padding mask).
    /// </summary>
    public void ReadsTokens(BlockDeclaration block, AttributeDeclaration layer, TokenInput tokens)
    {
        string input = InputRead(block)!;
        if (tokenInputs.TryGetValue(input, out TokenInput? known) && known.PaddingIndex != tokens.PaddingIndex)
        {
            Report(Descriptors.GraphNotSupported, layer.Location, model.Type.TypeName,
                $"two Embeddings read the input '{input}' with different padding ids ({Id(known.PaddingIndex)} and {Id(tokens.PaddingIndex)}); an input has one padding mask, so give both the same PaddingIndex");
            return;
        }
        tokenInputs[input] = tokens;

        static string Id(long? id) => id is { } i ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none";
    }

    /// <summary>
    /// Records a planned block's output shape and whether the padding mask is valid for its steps, with its layers (their
    /// final names): which read the padding mask, and which read a memory, with the memory's mask.
    /// </summary>
    public void Planned(BlockDeclaration block, EquatableArray<long> inputShape, EquatableArray<long> outputShape, bool masked = false, IReadOnlyList<PlannedLayer>? layers = null)
    {
        string local = block.MemberName is null ? "x" : ModelPlanner.ChildName(block.MemberName);
        List<Value> sources = block.Input is { } input ? Sources(input) : new List<Value> { previous! };
        string? origin = sources[0].Origin;
        foreach (Value source in sources) if (source.Origin != origin) origin = null;
        var value = new Value(local, block.MemberName ?? "the class-level layers", outputShape, origin, masked);
        layers ??= System.Array.Empty<PlannedLayer>();
        var memories = new List<MemoryRead>();
        bool readsMask = false;
        for (int l = 0; l < layers.Count; l++)
        {
            readsMask |= layers[l].UsesPaddingMask;
            if (layers[l].Memory is not { } name) continue;
            Value memory = values[name];
            string? of = memory.Masked ? memory.Origin : null;
            memories.Add(new MemoryRead(l, layers[l].Name, memory.Local, of, of is null ? null : UseMask(of)));
        }
        string? maskOf = readsMask ? origin : null;
        if (block.MemberName is not null) values[block.MemberName] = value;
        var sourceLocals = ImmutableArray.CreateBuilder<string>(sources.Count);
        foreach (Value source in sources) sourceLocals.Add(source.Local);
        nodes.Add(new GraphNode(local, block.Input?.Merge ?? MergeKind.From, new EquatableArray<string>(sourceLocals.MoveToImmutable()), inputShape, ConcatAxis(inputShape))
        {
            PaddingMaskOf = maskOf,
            PaddingMask = maskOf is null ? null : UseMask(maskOf),
            Memories = memories.ToEquatableArray(),
        });
        shapes[local] = outputShape;
        if (block.IsOutput) outputs.Add((block.MemberName!, value));
        previous = value;
    }

    /// <summary>The local of token input <paramref name="input"/>'s padding mask, which the forward computes first.</summary>
    private string UseMask(string input)
    {
        string local = MaskLocal(input);
        if (!paddingMasks.Any(m => m.Input == input)) paddingMasks.Add(new PaddingMaskPlan(input, local, tokenInputs[input].PaddingIndex!.Value));
        return local;
    }

    /// <summary>A padding mask's local: <c>paddingMask</c> for the one input of a model, <c>{input}PaddingMask</c> with several.</summary>
    private string MaskLocal(string input) => model.Inputs.Count > 1 ? input + "PaddingMask" : "paddingMask";

    /// <summary>
    /// The decided graph; call after every block is planned. With <paramref name="channelsLast"/> (the model has layers
    /// that run faster on channels-last activations) multi-channel image inputs start channels-last and a node switches
    /// after itself when it makes a multi-channel image out of values that were not (a 1-channel image through a
    /// convolution); merges and layers keep the layout of what they read.
    /// </summary>
    public GraphPlan Finish(bool channelsLast)
    {
        var results = outputs.Count > 0 ? outputs : new List<(string, Value)> { (previous!.Name, previous) };
        var layout = new Dictionary<string, bool>(System.StringComparer.Ordinal);
        var channelsLastInputs = new List<string>();
        foreach (GraphValue input in inputs)
        {
            layout[input.Node] = channelsLast && IsMultiChannelImage(input.Shape);
            if (layout[input.Node]) channelsLastInputs.Add(input.Node);
        }
        var decided = new List<GraphNode>();
        foreach (GraphNode node in nodes)
        {
            bool reads = node.Sources.All(s => layout[s]);
            EquatableArray<long> output = shapes[node.Local];
            bool after = channelsLast && !reads && IsMultiChannelImage(output);
            layout[node.Local] = after || reads && output.Count == 3;
            decided.Add(node with { ChannelsLastAfter = after });
        }
        return new GraphPlan(inputs.Select(i => i with { Tokens = tokenInputs.TryGetValue(i.Name, out TokenInput? t) ? t : null }).ToEquatableArray(), decided.ToEquatableArray(),
            results.Select(o => new GraphValue(o.Item1, o.Item2.Local, o.Item2.Shape)).ToEquatableArray())
        {
            ChannelsLastInputs = channelsLastInputs.ToEquatableArray(),
            PaddingMasks = paddingMasks.ToEquatableArray(),
            ContiguousOutputs = results.Any(o => layout[o.Item2.Local]),
        };
    }

    public static bool IsMultiChannelImage(EquatableArray<long> shape) => shape.Count == 3 && shape[0] > 1;
}
