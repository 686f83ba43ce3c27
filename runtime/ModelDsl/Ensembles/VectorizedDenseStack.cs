using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// k members of one Dense/activation/dropout/LayerNorm stack run together: each dense layer keeps the members' weights
/// stacked as [k, in, out] and computes all members with one batched matmul (baddbmm), instead of k Linear calls. Same
/// function as k separate members (<see cref="CopyFrom"/> loads their weights), with k times fewer native calls, which is
/// what costs on small layers. TorchSharp has no stacked-module helper (PyTorch's torch.func.stack_module_state), hence
/// this hand-written module. Input [B, in] (shared by all members) or [k, B, in]; output [k, B, out].
/// </summary>
public sealed partial class VectorizedDenseStack : nn.Module<Tensor, Tensor>
{
    private readonly VectorizedLayer[] layers;
    private readonly Parameter?[] weights;
    private readonly Parameter?[] biases;

    /// <summary>Creates <paramref name="members"/> members of <paramref name="layers"/>, weights zero until <see cref="CopyFrom"/> or an init.</summary>
    public VectorizedDenseStack(int members, IReadOnlyList<VectorizedLayer> layers, ScalarType? dtype = null)
        : base(nameof(VectorizedDenseStack))
    {
        if (members < 1) throw new ArgumentOutOfRangeException(nameof(members), members, "VectorizedDenseStack needs at least one member");
        if (layers.Count == 0) throw new ArgumentException("VectorizedDenseStack needs at least one layer", nameof(layers));
        for (int j = 1; j < layers.Count; j++)
        {
            if (layers[j].In != layers[j - 1].Out)
                throw new ArgumentException($"VectorizedDenseStack layer {j} ({layers[j].Kind}) expects width {layers[j].In}, but layer {j - 1} ({layers[j - 1].Kind}) produces {layers[j - 1].Out}", nameof(layers));
        }
        Members = members;
        this.layers = layers.ToArray();
        weights = new Parameter?[this.layers.Length];
        biases = new Parameter?[this.layers.Length];
        ScalarType type = dtype ?? ScalarType.Float32;
        for (int j = 0; j < this.layers.Length; j++)
        {
            VectorizedLayer layer = this.layers[j];
            if (layer.Kind == VectorizedLayerKind.Dense)
            {
                weights[j] = new Parameter(zeros(new long[] { members, layer.In, layer.Out }, type));
                register_parameter($"layer{j}_weight", weights[j]!);
                if (layer.Bias)
                {
                    biases[j] = new Parameter(zeros(new long[] { members, 1, layer.Out }, type));
                    register_parameter($"layer{j}_bias", biases[j]!);
                }
            }
            else if (layer.Kind == VectorizedLayerKind.LayerNorm && layer.Affine)
            {
                weights[j] = new Parameter(ones(new long[] { members, 1, layer.Out }, type));
                biases[j] = new Parameter(zeros(new long[] { members, 1, layer.Out }, type));
                register_parameter($"layer{j}_weight", weights[j]!);
                register_parameter($"layer{j}_bias", biases[j]!);
            }
        }
    }

    /// <summary>k.</summary>
    public int Members { get; }

    /// <summary>
    /// After <c>to(dtype)</c> or <c>to(device)</c>: Module.to() replaced the registered parameters and disposed the old ones,
    /// which the per-layer arrays still point to, so read the new ones back (arrays cannot be matched by field name).
    /// </summary>
    protected override void _toEpilog(ScalarType? dtype, Device? device, bool non_blocking)
    {
        base._toEpilog(dtype, device, non_blocking);
        var registered = named_parameters(recurse: false).ToDictionary(p => p.name, p => p.parameter);
        for (int j = 0; j < layers.Length; j++)
        {
            if (weights[j] is not null) weights[j] = registered[$"layer{j}_weight"];
            if (biases[j] is not null) biases[j] = registered[$"layer{j}_bias"];
        }
    }

    /// <summary>The layer description.</summary>
    public IReadOnlyList<VectorizedLayer> Layers => layers;

    /// <summary>
    /// Loads member i's weights from <paramref name="members"/>[i]: its Linear and LayerNorm modules, in registration order,
    /// must match the description (a generated model registers them in layer order).
    /// </summary>
    public void CopyFrom(IReadOnlyList<nn.Module<Tensor, Tensor>> members)
    {
        if (members.Count != Members) throw new ArgumentException($"CopyFrom needs {Members} members, but got {members.Count}", nameof(members));
        using var noGrad = no_grad();
        for (int i = 0; i < members.Count; i++)
        {
            Linear[] linears = members[i].modules().OfType<Linear>().ToArray();
            LayerNorm[] norms = members[i].modules().OfType<LayerNorm>().ToArray();
            int dense = 0, norm = 0;
            for (int j = 0; j < layers.Length; j++)
            {
                VectorizedLayer layer = layers[j];
                if (layer.Kind == VectorizedLayerKind.Dense)
                {
                    if (dense >= linears.Length) throw new ArgumentException($"member {i} has {linears.Length} Linear layers, but the stack has more Dense layers", nameof(members));
                    Linear linear = linears[dense++];
                    RequireShape(i, j, "weight", linear.weight!, new[] { layer.Out, layer.In });
                    weights[j]![i].copy_(linear.weight!.t());
                    if (layer.Bias)
                    {
                        if (linear.bias is null) throw new ArgumentException($"member {i} layer {j}: the stack's Dense has a bias, the member's Linear has none", nameof(members));
                        biases[j]![i, 0].copy_(linear.bias);
                    }
                }
                else if (layer.Kind == VectorizedLayerKind.LayerNorm)
                {
                    if (norm >= norms.Length) throw new ArgumentException($"member {i} has {norms.Length} LayerNorm layers, but the stack has more", nameof(members));
                    LayerNorm source = norms[norm++];
                    if (layer.Affine)
                    {
                        RequireShape(i, j, "LayerNorm weight", source.weight!, new[] { layer.Out });
                        weights[j]![i, 0].copy_(source.weight!);
                        biases[j]![i, 0].copy_(source.bias!);
                    }
                }
            }
            if (dense != linears.Length || norm != norms.Length)
                throw new ArgumentException($"member {i} has {linears.Length} Linear and {norms.Length} LayerNorm layers, but the stack describes {dense} and {norm}", nameof(members));
        }
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ShapeGuard.RequireTypeOf(input, nameof(VectorizedDenseStack), this);
        long width = layers[0].In;
        Tensor x = input.dim() switch
        {
            2 when input.shape[1] == width => input.unsqueeze(0).expand(Members, -1, -1),
            3 when input.shape[0] == Members && input.shape[2] == width => input,
            _ => throw new ShapeMismatchException(nameof(VectorizedDenseStack), $"[B, {width}] or [{Members}, B, {width}]", ShapeMismatchException.Format(input.shape)),
        };
        for (int j = 0; j < layers.Length; j++) x = Apply(j, x);
        return x;
    }

    /// <summary>Layer j for all members: its kind's forward (<see cref="VectorizedLayerKinds"/>) with its stacked parameters.</summary>
    private Tensor Apply(int j, Tensor x) => VectorizedLayerKinds.Of(layers[j].Kind).Forward(layers[j], x, weights[j], biases[j], training);

    private static void RequireShape(int member, int layer, string what, Tensor actual, long[] expected)
    {
        if (!actual.shape.SequenceEqual(expected))
            throw new ShapeMismatchException($"VectorizedDenseStack layer {layer} ({what} of member {member})", ShapeMismatchException.Format(expected), ShapeMismatchException.Format(actual.shape));
    }
}
