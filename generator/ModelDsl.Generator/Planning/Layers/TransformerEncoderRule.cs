using System.Collections.Immutable;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [TransformerEncoder(heads, F)] → ModelDsl.TransformerEncoder over [B, T, D], shape-preserving. Parameters per layer:
/// attention 4D² + 4D (input projections 3D² + 3D, output D² + D), feed-forward 2DF + F + D, two norms 4D; a pre-LN
/// stack adds a final norm (2D). The heads must divide D and the activation is ReLU or GELU (MD0061).
/// </summary>
internal sealed class TransformerEncoderRule : LayerRule
{
    public override string Name => "TransformerEncoder";

    public override LayerTraits Traits { get; } = new() { KeepsSteps = true };

    public override ImmutableDictionary<string, object> Defaults { get; } = ImmutableDictionary<string, object>.Empty
        .Add("Layers", 1).Add("Dropout", 0.1).Add("Activation", "ReLU").Add("NormFirst", true).Add("Causal", false).Add("Init", "PyTorch").Add("Eps", 1e-5);

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        long layers = (long)context.Number("Layers");
        bool causal = context.Boolean("Causal");
        bool gpt2 = context.Enum("Init") == "Gpt2";
        string display = $"TransformerEncoder({(long)context.Number("Heads")} heads{(layers > 1 ? $", {layers} layers" : "")}{(causal ? ", causal" : "")})";
        if (TransformerOptions.Read(context, Name, display) is not { } options) return ImmutableArray<PlannedLayer>.Empty;
        (long heads, long feedForward, double dropout, string activation, bool normFirst, long steps, long width)
            = (options.Heads, options.FeedForward, options.Dropout, options.Activation, options.NormFirst, options.Steps, options.Width);
        long perLayer = checked(4 * width * width + 2 * width * feedForward + 9 * width + feedForward);
        long parameters = checked(layers * perLayer + (normFirst ? 2 * width : 0));
        CallPlan construction = CallPlan.New("global::ModelDsl.TransformerEncoder", CallArgument.Long(width), CallArgument.Long(heads), CallArgument.Long(feedForward),
            CallArgument.Long(layers, "count"), CallArgument.Double(dropout, "dropout"), CallArgument.Symbolic("global::ModelDsl.Activation." + activation, "activation"),
            CallArgument.Bool(normFirst, "normFirst"), CallArgument.Symbolic("generator", "generator"), CallArgument.DType);
        if (causal) construction = construction with { Arguments = construction.Arguments.Items.Add(CallArgument.Bool(true, "causal")).ToEquatableArray() };
        double eps = context.Number("Eps");
        if (!(eps > 0))
        {
            context.Report(Descriptors.NonPositiveSize, "TransformerEncoder Eps", Invariant.Short(eps));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        if (eps != 1e-5) construction = construction with { Arguments = construction.Arguments.Items.Add(CallArgument.Double(eps, "eps")).ToEquatableArray() };
        if (gpt2) construction = construction with { Arguments = construction.Arguments.Items.Add(CallArgument.Symbolic("global::ModelDsl.TransformerInit.Gpt2", "init")).ToEquatableArray() };
        // GPT-2 (Radford et al. 2019, §2.3): N(0, 0.02²), the residual projections' std divided by √(2·L).
        string init = gpt2
            ? $"GPT-2: N(0, 0.02²); attention output and MLP out N(0, (0.02/√{2 * layers} = {Invariant.Short(0.02 / System.Math.Sqrt(2.0 * layers))})²); bias 0"
            : "attention Glorot uniform, linear default, bias 0";
        string order = (normFirst ? "pre-LN, final norm" : "post-LN") + (context.PaddingMasked ? "; padding steps masked as keys" : "");
        return ImmutableArray.Create(new PlannedLayer(
            "encoder",
            display,
            "global::ModelDsl.TransformerEncoder",
            construction,
            EquatableArray<CallPlan>.Empty,
            $"{layers} × ({(causal ? "causal self-attention (each step reads itself and earlier steps)" : "self-attention")} over {steps} steps, {heads} heads of {width / heads}; FFN {width} → {feedForward} → {width}, {activation}); {order}",
            context.Input,
            parameters,
            init) {
            Kind = Name,
            UsesPaddingMask = context.PaddingMasked,
            Role = LayerRole.Weights,
            Decayed = DecayedParameters(layers, normFirst),
            Tensors = Tensors(width, feedForward, layers, normFirst),
            Causal = causal,
        });
    }

    /// <summary>Each layer's tensors as PyTorch's nn.TransformerEncoderLayer names them (D the width, FF the feed-forward width), then the final norm.</summary>
    private static EquatableArray<PlannedTensor> Tensors(long width, long feedForward, long layers, bool normFirst)
    {
        var tensors = new System.Collections.Generic.List<PlannedTensor>();
        for (long layer = 0; layer < layers; layer++)
        {
            string l = $"layers.{layer}";
            tensors.Add(PlannedTensor.Float("self_attn.in_proj_weight", 3 * width, width).Under(l));
            tensors.Add(PlannedTensor.Float("self_attn.in_proj_bias", 3 * width).Under(l));
            tensors.AddRange(PlannedTensor.WeightAndBias(true, width, width).Select(t => t.Under(l + ".self_attn.out_proj")));
            tensors.AddRange(PlannedTensor.WeightAndBias(true, feedForward, width).Select(t => t.Under(l + ".linear1")));
            tensors.AddRange(PlannedTensor.WeightAndBias(true, width, feedForward).Select(t => t.Under(l + ".linear2")));
            tensors.AddRange(PlannedTensor.Affine(true, width).Select(t => t.Under(l + ".norm1")));
            tensors.AddRange(PlannedTensor.Affine(true, width).Select(t => t.Under(l + ".norm2")));
        }
        if (normFirst) tensors.AddRange(PlannedTensor.Affine(true, width).Select(t => t.Under("norm")));
        return tensors.ToEquatableArray();
    }

    /// <summary>The state_dict names of each layer's projections (PyTorch's nn.TransformerEncoderLayer), their biases and the norms.</summary>
    private static DecayedParameters DecayedParameters(long layers, bool normFirst)
    {
        var weights = new System.Collections.Generic.List<string>();
        var biases = new System.Collections.Generic.List<string>();
        var norms = new System.Collections.Generic.List<string>();
        for (long layer = 0; layer < layers; layer++)
        {
            string l = $"layers.{layer}.";
            weights.AddRange(new[] { l + "self_attn.in_proj_weight", l + "self_attn.out_proj.weight", l + "linear1.weight", l + "linear2.weight" });
            biases.AddRange(new[] { l + "self_attn.in_proj_bias", l + "self_attn.out_proj.bias", l + "linear1.bias", l + "linear2.bias" });
            norms.AddRange(new[] { l + "norm1.weight", l + "norm1.bias", l + "norm2.weight", l + "norm2.bias" });
        }
        if (normFirst) norms.AddRange(new[] { "norm.weight", "norm.bias" });
        return new DecayedParameters(weights.ToEquatableArray(), biases.ToEquatableArray(), norms.ToEquatableArray());
    }
}
