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

    /// <summary>True when any value runs channels-last, for the summary's layout line.</summary>
    public bool UsesChannelsLast => ChannelsLastInputs.Count > 0 || Nodes.Any(n => n.ChannelsLastAfter);
}

/// <summary>A named value of the graph (an input, an output) with its shape without the batch dimension.</summary>
/// <param name="Name">The C# name: the forward parameter for an input, the Outputs property for an output.</param>
/// <param name="Node">The value's local in the generated forward.</param>
internal sealed record GraphValue(string Name, string Node, EquatableArray<long> Shape);

/// <summary>
/// One block as a graph node: the local that holds its result (its child name; "x" for the class-level layers), the
/// locals it reads and how it joins them, the shape the join gives (the block's input), and the dimension a
/// concatenation runs along (with the batch dimension as 0).
/// </summary>
internal sealed record GraphNode(string Local, MergeKind Merge, EquatableArray<string> Sources, EquatableArray<long> InputShape, int ConcatDimension)
{
    /// <summary>Switch to channels-last strides after this node: its result is a multi-channel image and what it read was not.</summary>
    public bool ChannelsLastAfter { get; init; }
}
