using System.Linq;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// A model that is a graph rather than a chain, decided: its inputs, one node per planned block (same order as
/// <see cref="ModelPlan.Blocks"/>) with what it reads and how it joins it, and its outputs. A chain has no graph plan
/// and keeps today's generated forward.
/// </summary>
internal sealed record GraphPlan(EquatableArray<GraphValue> Inputs, EquatableArray<GraphNode> Nodes, EquatableArray<GraphValue> Outputs)
{
    /// <summary>True when forward returns the generated Outputs record (several outputs).</summary>
    public bool HasOutputRecord => Outputs.Count > 1;

    /// <summary>Inputs the forward switches to channels-last strides first (multi-channel images of a convolutional model).</summary>
    public EquatableArray<string> ChannelsLastInputs { get; init; }

    /// <summary>An output is channels-last inside the forward: outputs go back with contiguous (NCHW) strides.</summary>
    public bool ContiguousOutputs { get; init; }

    /// <summary>The padding masks the forward computes first, one per token input whose mask a layer reads.</summary>
    public EquatableArray<PaddingMaskPlan> PaddingMasks { get; init; }

    /// <summary>True when any value runs channels-last, for the summary's layout line.</summary>
    public bool UsesChannelsLast => ChannelsLastInputs.Count > 0 || Nodes.Any(n => n.ChannelsLastAfter);
}

/// <summary>A named value of the graph (an input, an output) with its shape without the batch dimension.</summary>
/// <param name="Name">The C# name: the forward parameter for an input, the Outputs property for an output.</param>
/// <param name="Node">The value's local in the generated forward.</param>
internal sealed record GraphValue(string Name, string Node, EquatableArray<long> Shape)
{
    /// <summary>For an input an [Embedding] reads: Int64 token ids of this vocabulary and padding id; null for floats.</summary>
    public TokenInput? Tokens { get; init; }
}

/// <summary>The padding mask of token input <paramref name="Input"/>: the local <paramref name="Local"/> = input.eq(<paramref name="PaddingIndex"/>).</summary>
internal sealed record PaddingMaskPlan(string Input, string Local, long PaddingIndex);

/// <summary>
/// A layer of a node that reads another value as its memory (a decoder): the layer's index and child name in its block,
/// the value's local, and the token input whose padding mask goes with it and that mask's local (null when its steps carry none).
/// </summary>
internal sealed record MemoryRead(int Layer, string LayerName, string Value, string? PaddingMaskOf, string? PaddingMask);

/// <summary>
/// One block as a graph node: the local that holds its result (its child name; "x" for the class-level layers), the
/// locals it reads and how it joins them, the shape the join gives (the block's input), and the dimension a
/// concatenation runs along (with the batch dimension as 0).
/// </summary>
internal sealed record GraphNode(string Local, MergeKind Merge, EquatableArray<string> Sources, EquatableArray<long> InputShape, int ConcatDimension)
{
    /// <summary>Switch to channels-last strides after this node: its result is a multi-channel image and what it read was not.</summary>
    public bool ChannelsLastAfter { get; init; }

    /// <summary>The token input whose padding mask the node's mask-reading layers get; null when none reads one.</summary>
    public string? PaddingMaskOf { get; init; }

    /// <summary>The local of that mask in the generated forward; null when none.</summary>
    public string? PaddingMask { get; init; }

    /// <summary>The node's layers that read a memory, with what they read.</summary>
    public EquatableArray<MemoryRead> Memories { get; init; }
}
