using System;
using System.Collections.Generic;
using ModelDsl.Onnx;
using static ModelDsl.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Runs one vectorized layer for all k members. <paramref name="weight"/> and <paramref name="bias"/> are the layer's
/// stacked parameters (Dense: [k, in, out] and [k, 1, out]; affine LayerNorm: [k, 1, F] each), null where it has none;
/// <paramref name="x"/> is [k, B, in].
/// </summary>
internal delegate Tensor VectorizedForward(VectorizedLayer layer, Tensor x, Tensor? weight, Tensor? bias, bool training);

/// <summary>Writes member <paramref name="member"/> of one vectorized layer as ONNX nodes, slicing its parameters from the stacked ones.</summary>
internal delegate string VectorizedOnnxForm(OnnxGraphBuilder g, VectorizedLayer layer, string name, string x, Tensor? weight, Tensor? bias, int member);

/// <summary>What the runtime knows about one <see cref="VectorizedLayerKind"/>.</summary>
/// <param name="Forward">Its training/eval forward over all members at once.</param>
/// <param name="Export">One member's eval-mode ONNX nodes.</param>
/// <param name="DrawsFromGlobalGenerator">Whether a layer of the kind draws from TorchSharp's global generator in training.</param>
/// <param name="IsActivation">Whether <see cref="VectorizedLayer.Activation"/> builds it (parameter-free, width-preserving).</param>
internal sealed record VectorizedKind(VectorizedForward Forward, VectorizedOnnxForm Export, Func<VectorizedLayer, bool> DrawsFromGlobalGenerator, bool IsActivation);

/// <summary>
/// The vectorized layer kinds, one row each: the counterpart of <see cref="Kinds.TorchLayerKinds"/> for the layers a
/// <see cref="VectorizedDenseStack"/> runs, read by its forward, by <see cref="VectorizedMemberExporter"/>, by the
/// concurrent-run check and by <see cref="VectorizedLayer.Activation"/>. LayerKindTests checks every enum value has a row.
/// </summary>
internal static class VectorizedLayerKinds
{
    private static readonly Func<VectorizedLayer, bool> Never = _ => false;

    private static VectorizedOnnxForm Node(string op) => (g, _, name, x, _, _, _) => g.Node(op, name, new[] { x });

    private static readonly Dictionary<VectorizedLayerKind, VectorizedKind> Table = new()
    {
        // kind = (forward, ONNX form, draws in training, activation)
        [VectorizedLayerKind.Dense] = new(Dense,
            // Stored as [in, out]: Linear's weight is its transpose.
            (g, _, name, x, weight, bias, member) => g.Dense(name, x, 2, weight![member].t(), bias?[member, 0]), Never, false),
        [VectorizedLayerKind.ReLU] = new((_, x, _, _, _) => nn.functional.relu(x), Node("Relu"), Never, true),
        [VectorizedLayerKind.LeakyReLU] = new((layer, x, _, _, _) => nn.functional.leaky_relu(x, layer.Value),
            (g, layer, name, x, _, _, _) => g.Node("LeakyRelu", name, new[] { x }, Float("alpha", layer.Value)), Never, true),
        [VectorizedLayerKind.Tanh] = new((_, x, _, _, _) => x.tanh(), Node("Tanh"), Never, true),
        [VectorizedLayerKind.Sigmoid] = new((_, x, _, _, _) => x.sigmoid(), Node("Sigmoid"), Never, true),
        [VectorizedLayerKind.GELU] = new((_, x, _, _, _) => nn.functional.gelu(x),
            (g, _, name, x, _, _, _) => g.Gelu(name, x, tanhApproximation: false), Never, true),
        [VectorizedLayerKind.Softmax] = new((_, x, _, _, _) => nn.functional.softmax(x, -1),
            (g, _, name, x, _, _, _) => g.Node("Softmax", name, new[] { x }, Int("axis", -1)), Never, true),
        [VectorizedLayerKind.LogSoftmax] = new((_, x, _, _, _) => nn.functional.log_softmax(x, -1),
            (g, _, name, x, _, _, _) => g.Node("LogSoftmax", name, new[] { x }, Int("axis", -1)), Never, true),
        // One mask over [k, B, F]: each member gets its own independent mask, as separate members would.
        [VectorizedLayerKind.Dropout] = new((layer, x, _, _, training) => nn.functional.dropout(x, layer.Value, training),
            (_, _, _, x, _, _, _) => x, layer => layer.Value > 0, false), // rate 0: libtorch returns the input, drawing nothing
        [VectorizedLayerKind.WeightScalingDropout] = new((layer, x, _, _, training) => training ? x * empty_like(x).bernoulli_(layer.Value) : x * layer.Value,
            (g, layer, name, x, _, _, _) => g.Node("Mul", name, new[] { x, g.Constant(name + ".keep", new[] { layer.Value }) }), _ => true, false),
        [VectorizedLayerKind.LayerNorm] = new(LayerNorm,
            (g, layer, name, x, weight, bias, member) => g.Node("LayerNormalization", name, new[]
            {
                x,
                weight is null ? g.Ones(name + ".ones", layer.Out) : g.Initializer(name + ".weight", weight[member, 0]),
                bias is null ? g.Zeros(name + ".zeros", layer.Out) : g.Initializer(name + ".bias", bias[member, 0]),
            }, Int("axis", -1), Float("epsilon", layer.Value)), Never, false),
    };

    /// <summary>The row of <paramref name="kind"/>; throws for a value outside the enum's.</summary>
    public static VectorizedKind Of(VectorizedLayerKind kind)
        => Find(kind) ?? throw new InvalidOperationException($"VectorizedDenseStack: unknown layer kind {kind}");

    /// <summary>The row of <paramref name="kind"/>, or null for a value outside the enum's.</summary>
    public static VectorizedKind? Find(VectorizedLayerKind kind) => Table.GetValueOrDefault(kind);

    /// <summary>The kinds with a row, for the consistency tests.</summary>
    public static IReadOnlyCollection<VectorizedLayerKind> Kinds => Table.Keys;

    private static Tensor Dense(VectorizedLayer layer, Tensor x, Tensor? weight, Tensor? bias, bool training)
    {
        Tensor w = weight!;
        if (layer.Out == 1)
        {
            // One output per member is a dot product per row: multiply and sum over the features. libtorch's CPU bmm with a
            // single output column (and its backward, an outer product) takes a slow path, about 2x slower than this
            // multiply-and-sum forward + backward (measured on [8, 64, 64] x [8, 64, 1]; docs/benchmarks-ensembles.md).
            Tensor dot = x.mul(w.transpose(1, 2)).sum(new long[] { -1 }, keepdim: true);
            return bias is not null ? dot.add(bias) : dot;
        }
        // TorchSharp's Tensor.baddbmm(batch2, mat) is called on batch1 and adds mat (PyTorch's `input`) last:
        // x.baddbmm(W, b) = b + x @ W, with b [k, 1, out] broadcast over the batch.
        return bias is not null ? x.baddbmm(w, bias) : x.bmm(w);
    }

    private static Tensor LayerNorm(VectorizedLayer layer, Tensor x, Tensor? weight, Tensor? bias, bool training)
    {
        Tensor normalized = nn.functional.layer_norm(x, new[] { layer.Out }, null, null, layer.Value);
        return weight is not null ? normalized * weight + bias! : normalized;
    }
}
