using System.Collections.Generic;

namespace ModelDsl;

/// <summary>
/// A generated model whose blocks form a graph (declared with <c>[From]</c>, merges, <c>[Input]</c> or <c>[Output]</c>):
/// its connections as data, which ONNX export walks. The generated forward is the code form of the same graph.
/// </summary>
public interface IGraphModel : IGeneratedModel, IGraphBlock
{
}

/// <summary>
/// A generated graph model's forward over its inputs in declaration order, whatever their number, returning what its
/// forward returns (a <c>Tensor</c>, or the generated <c>Outputs</c> record): what a training loop or a tool calls
/// without knowing the model's arity.
/// </summary>
/// <typeparam name="TOutput">The forward's result: <c>Tensor</c>, or the model's <c>Outputs</c> record.</typeparam>
public interface IGraphModel<out TOutput> : IGraphModel
{
    /// <summary>Runs forward on <paramref name="inputs"/>, one tensor per [Input] in order ([B, …shape] each).</summary>
    /// <exception cref="System.ArgumentException">The count differs from the model's inputs.</exception>
    TOutput Forward(IReadOnlyList<TorchSharp.torch.Tensor> inputs);
}

/// <summary>
/// A module whose forward is a graph of named blocks: a generated graph model, or a generated <c>[Block]</c> template,
/// whose one input is <c>input</c> and whose concatenations give <see cref="GraphNode.ConcatDimension"/> = −1 (channels
/// of images, else the last dimension, decided by the shape each use gives it).
/// </summary>
public interface IGraphBlock
{
    /// <summary>The inputs, the nodes in the order forward runs them, and the outputs.</summary>
    ModelGraph Graph { get; }
}

/// <summary>A graph model's connections: inputs, nodes in forward order, outputs.</summary>
/// <param name="Inputs">The forward's parameters in order.</param>
/// <param name="Nodes">One node per block (and one, named <c>x</c>, for layers on the class), in forward order.</param>
/// <param name="Outputs">What forward returns, in order: one tensor, or the properties of the generated <c>Outputs</c> record.</param>
public sealed record ModelGraph(IReadOnlyList<GraphInput> Inputs, IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphOutput> Outputs);

/// <summary>
/// One model input: its name (the forward parameter) and shape without the batch dimension; for Int64 token ids (an
/// input an <c>[Embedding]</c> reads) the vocabulary and the padding id.
/// </summary>
public sealed record GraphInput(string Name, IReadOnlyList<long> Shape)
{
    /// <summary>V for an input of token ids in [0, V); null for a float input.</summary>
    public long? Vocabulary { get; init; }

    /// <summary>The padding token id of a token input, whose steps are masked; null when it has none.</summary>
    public long? PaddingIndex { get; init; }
}

/// <summary>
/// One node: the value it produces (named as its block's child module, <c>x</c> for layers on the class), how it joins
/// the values it reads (<paramref name="Sources"/>: input names or other nodes' names), and the dimension a
/// concatenation runs along (batch = 0). The node then runs its block's layers on the joined tensor.
/// </summary>
public sealed record GraphNode(string Name, GraphMerge Merge, IReadOnlyList<string> Sources, int ConcatDimension)
{
    /// <summary>
    /// The token input whose padding mask the node's mask-reading layers get (<see cref="ITokenModel.PaddingMaskedLayers"/>):
    /// the one whose steps the node's value still has; null when none of its layers reads a mask.
    /// </summary>
    public string? PaddingMaskOf { get; init; }

    /// <summary>The node's layers that read a second value besides the node's own (a decoder's memory).</summary>
    public IReadOnlyList<GraphMemoryRead> Memories { get; init; } = System.Array.Empty<GraphMemoryRead>();
}

/// <summary>A layer of a node (<see cref="ICrossAttentionLayer"/>) that reads another value of the graph as its memory.</summary>
/// <param name="Layer">The layer's name inside its block (its child name).</param>
/// <param name="Value">The value it reads: an input or another node.</param>
/// <param name="PaddingMaskOf">The token input whose padding mask goes with the memory (its steps are still that input's tokens); null for none.</param>
public sealed record GraphMemoryRead(string Layer, string Value, string? PaddingMaskOf);

/// <summary>One output: its name (the <c>Outputs</c> property, or the block's member name) and the node it returns.</summary>
public sealed record GraphOutput(string Name, string Node);

/// <summary>How a node joins what it reads: one value as is, concatenation, element-wise sum, product or mean.</summary>
public enum GraphMerge
{
    /// <summary>One value, as is.</summary>
    From,

    /// <summary><c>torch.cat</c> along <see cref="GraphNode.ConcatDimension"/>.</summary>
    Concatenate,

    /// <summary>Element-wise sum, with broadcasting.</summary>
    Add,

    /// <summary>Element-wise product, with broadcasting.</summary>
    Multiply,

    /// <summary>Element-wise mean, (x₁ + … + xₙ) / n, with broadcasting.</summary>
    Average,
}
