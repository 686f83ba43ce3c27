using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [TransformerDecoder(heads, F, Memory = v)] → ModelDsl.TransformerDecoder over the target [B, T, D] and the memory
/// [B, S, D] (the value v: an input or a block planned before), shape-preserving. Parameters per layer (PyTorch's
/// nn.TransformerDecoderLayer): two attentions 2·(4D² + 4D), feed-forward 2DF + F + D, three norms 6D; a pre-LN stack
/// adds a final norm (2D). The heads must divide D and the activation is ReLU or GELU (MD0061); the memory must be a
/// sequence of width D that the model's forward holds (MD0114).
/// </summary>
internal sealed class TransformerDecoderRule : LayerRule
{
    public override string Name => "TransformerDecoder";

    public override LayerTraits Traits { get; } = new() { KeepsSteps = true };

    public override ImmutableArray<string> ValueOptions { get; } = ImmutableArray.Create("Memory");

    public override ImmutableDictionary<string, object> Defaults { get; } = ImmutableDictionary<string, object>.Empty
        .Add("Memory", "").Add("Layers", 1).Add("Dropout", 0.1).Add("Activation", "ReLU").Add("NormFirst", true).Add("Eps", 1e-5);

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        long layers = (long)context.Number("Layers");
        double eps = context.Number("Eps");
        string? memory = context.Layer.Text("Memory");
        string display = $"TransformerDecoder({(long)context.Number("Heads")} heads{(layers > 1 ? $", {layers} layers" : "")}, memory {memory ?? "?"})";
        if (TransformerOptions.Read(context, Name, display) is not { } options || !context.RequirePositive("TransformerDecoder Eps", eps)) return ImmutableArray<PlannedLayer>.Empty;
        (long heads, long feedForward, double dropout, string activation, bool normFirst, long steps, long width)
            = (options.Heads, options.FeedForward, options.Dropout, options.Activation, options.NormFirst, options.Steps, options.Width);
        if (MemoryShape(context, memory, display, width) is not { } memoryShape) return ImmutableArray<PlannedLayer>.Empty;

        long perLayer = checked(8 * width * width + 2 * width * feedForward + 15 * width + feedForward);
        long parameters = checked(layers * perLayer + (normFirst ? 2 * width : 0));
        var arguments = new List<CallArgument>
        {
            CallArgument.Long(width), CallArgument.Long(heads), CallArgument.Long(feedForward), CallArgument.Long(layers, "count"), CallArgument.Double(dropout, "dropout"),
            CallArgument.Symbolic("global::ModelDsl.Activation." + activation, "activation"), CallArgument.Bool(normFirst, "normFirst"),
        };
        if (eps != 1e-5) arguments.Add(CallArgument.Double(eps, "eps"));
        arguments.Add(CallArgument.Symbolic("generator", "generator"));
        arguments.Add(CallArgument.DType);
        string order = (normFirst ? "pre-LN, final norm" : "post-LN") + (context.PaddingMasked ? "; padding target steps masked as keys" : "");
        return ImmutableArray.Create(new PlannedLayer(
            "decoder",
            display,
            "global::ModelDsl.TransformerDecoder",
            CallPlan.New("global::ModelDsl.TransformerDecoder", arguments.ToArray()),
            EquatableArray<CallPlan>.Empty,
            $"{layers} × (causal self-attention over {steps} steps, cross-attention over {memory} {Shapes.Format(memoryShape)}, {heads} heads of {width / heads}; FFN {width} → {feedForward} → {width}, {activation}); {order}",
            context.Input,
            parameters,
            "attention Glorot uniform, linear default, bias 0")
        {
            Kind = Name,
            UsesPaddingMask = context.PaddingMasked,
            Memory = memory,
            Role = LayerRole.Weights,
            Decayed = DecayedParameters(layers, normFirst),
            Tensors = Tensors(width, feedForward, layers, normFirst),
            Causal = true,
        });
    }

    /// <summary>The shape of the value Memory names: a sequence [S, D] of the decoder's width; null after a reported error.</summary>
    private static EquatableArray<long>? MemoryShape(LayerContext context, string? memory, string display, long width)
    {
        if (memory is null)
        {
            context.Report(Descriptors.DecoderMemory, display, "it needs the encoder's output it attends over: give Memory = nameof(Encoder), a block declared above, or an [Input]'s name");
            return null;
        }
        if (context.NamedValue("Memory", memory, Descriptors.DecoderMemory, display) is not { } shape) return null;
        if (shape.Count != 2 || shape[1] != width)
        {
            context.ReportAt("Memory", Descriptors.DecoderMemory, display,
                $"Memory = \"{memory}\" is {Shapes.Format(shape)}, and cross-attention reads a sequence [S, {width}] of the decoder's width (PyTorch's nn.TransformerDecoderLayer projects keys and values from D features); project it with [Dense({width})] or change the widths");
            return null;
        }
        return shape;
    }

    /// <summary>Each layer's tensors as PyTorch's nn.TransformerDecoderLayer names them, then the final norm.</summary>
    private static EquatableArray<PlannedTensor> Tensors(long width, long feedForward, long layers, bool normFirst)
    {
        var tensors = new List<PlannedTensor>();
        for (long layer = 0; layer < layers; layer++)
        {
            string l = $"layers.{layer}";
            foreach (string attention in Attentions)
            {
                tensors.Add(PlannedTensor.Float(attention + ".in_proj_weight", 3 * width, width).Under(l));
                tensors.Add(PlannedTensor.Float(attention + ".in_proj_bias", 3 * width).Under(l));
                tensors.AddRange(PlannedTensor.WeightAndBias(true, width, width).Select(t => t.Under($"{l}.{attention}.out_proj")));
            }
            tensors.AddRange(PlannedTensor.WeightAndBias(true, feedForward, width).Select(t => t.Under(l + ".linear1")));
            tensors.AddRange(PlannedTensor.WeightAndBias(true, width, feedForward).Select(t => t.Under(l + ".linear2")));
            foreach (string norm in Norms) tensors.AddRange(PlannedTensor.Affine(true, width).Select(t => t.Under($"{l}.{norm}")));
        }
        if (normFirst) tensors.AddRange(PlannedTensor.Affine(true, width).Select(t => t.Under("norm")));
        return tensors.ToEquatableArray();
    }

    /// <summary>The state_dict names of each layer's projections, their biases and the norms.</summary>
    private static DecayedParameters DecayedParameters(long layers, bool normFirst)
    {
        var weights = new List<string>();
        var biases = new List<string>();
        var norms = new List<string>();
        for (long layer = 0; layer < layers; layer++)
        {
            string l = $"layers.{layer}.";
            foreach (string attention in Attentions)
            {
                weights.AddRange(new[] { $"{l}{attention}.in_proj_weight", $"{l}{attention}.out_proj.weight" });
                biases.AddRange(new[] { $"{l}{attention}.in_proj_bias", $"{l}{attention}.out_proj.bias" });
            }
            weights.AddRange(new[] { l + "linear1.weight", l + "linear2.weight" });
            biases.AddRange(new[] { l + "linear1.bias", l + "linear2.bias" });
            foreach (string norm in Norms) norms.AddRange(new[] { $"{l}{norm}.weight", $"{l}{norm}.bias" });
        }
        if (normFirst) norms.AddRange(new[] { "norm.weight", "norm.bias" });
        return new DecayedParameters(weights.ToEquatableArray(), biases.ToEquatableArray(), norms.ToEquatableArray());
    }

    private static readonly string[] Attentions = { "self_attn", "multihead_attn" };
    private static readonly string[] Norms = { "norm1", "norm2", "norm3" };
}
