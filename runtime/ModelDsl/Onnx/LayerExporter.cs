using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Onnx.Proto;
using TorchSharp.Modules;
using static ModelDsl.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

/// <summary>
/// Writes a chain of layers as ONNX nodes with their eval-mode semantics (opset 17): the one place that knows each
/// TorchSharp or ModelDsl layer's ONNX form. Dropout and noise are the identity in eval and write no node; the
/// weight-scaling dropout writes its eval-time scale.
/// </summary>
internal sealed class LayerExporter
{
    private readonly OnnxGraphBuilder g;
    private readonly string model;
    private readonly OnnxExportOptions options;
    private string? mask;

    public LayerExporter(OnnxGraphBuilder graph, string modelName, OnnxExportOptions options)
    {
        g = graph;
        model = modelName;
        this.options = options;
    }

    /// <summary>
    /// Writes <paramref name="chain"/> applied to the value <paramref name="input"/>; returns the last value's name.
    /// <paramref name="paddingMask"/> is the bool [B, T] value (true at padding) the masked links read.
    /// </summary>
    public string Write(IReadOnlyList<ChainLink> chain, string input, string prefix = "", string? paddingMask = null)
    {
        string x = input;
        mask = paddingMask;
        for (int i = 0; i < chain.Count; i++)
        {
            ChainLink link = chain[i];
            string name = prefix + link.Path;
            if (options.FoldBatchNorm && i + 1 < chain.Count && BatchNormFolding.CanFold(link.Module, chain[i + 1].Module))
            {
                using var scope = NewDisposeScope();
                (Tensor weight, Tensor bias) = BatchNormFolding.Fold(link.Module, chain[i + 1].Module);
                x = link.Module is Conv2d conv ? Conv(name, x, conv, weight, bias) : Dense(name, x, link.InputShape.Length, weight, bias);
                i++; // the batch norm is now part of this layer
                continue;
            }
            x = Write(link, name, x);
        }
        return x;
    }

    private string Write(ChainLink link, string name, string x) => link.Module switch
    {
        Linear linear => Dense(name, x, link.InputShape.Length, linear.weight, linear.bias),
        NoisyLinear noisy => Dense(name, x, link.InputShape.Length, noisy.weight, noisy.bias), // eval uses the clean weights
        Conv2d conv => Conv(name, x, conv, conv.weight, conv.bias),
        MaxPool2d pool => MaxPool(name, x, pool),
        AvgPool2d pool => AveragePool(name, x, pool),
        AdaptiveAvgPool2d pool when pool.output_size.All(s => s == 1) => g.Node("GlobalAveragePool", name, new[] { x }),
        Flatten flatten => Flatten(name, x, flatten, link.InputShape.Length),
        BatchNormalization or BatchNorm1d or BatchNorm2d => BatchNormNode(name, x, link.Module),
        InstanceNorm2d norm => InstanceNorm(name, x, norm),
        LayerNorm norm => LayerNormalization(name, x, norm),
        GroupNormalization norm => GroupNormNodes(name, x, norm.Groups, norm.Eps, norm.Weight, norm.Bias, link.InputShape.Length),
        GroupNorm norm => GroupNormNodes(name, x, norm.num_groups, norm.eps, norm.affine ? norm.weight : null, norm.affine ? norm.bias : null, link.InputShape.Length),
        ReLU => g.Node("Relu", name, new[] { x }),
        LeakyReLU leaky => g.Node("LeakyRelu", name, new[] { x }, Float("alpha", leaky.negative_slope)),
        Tanh => g.Node("Tanh", name, new[] { x }),
        Sigmoid => g.Node("Sigmoid", name, new[] { x }),
        GELU gelu => Gelu(name, x, tanhApproximation: gelu.approximate == GELU.Approximate.tanh),
        SiLU => g.Node("Mul", name, new[] { x, g.Node("Sigmoid", name + ".sigmoid", new[] { x }) }),
        ELU elu => g.Node("Elu", name, new[] { x }, Float("alpha", elu.alpha)),
        Softmax softmax => g.Node("Softmax", name, new[] { x }, Int("axis", softmax.dim)),
        LogSoftmax logSoftmax => g.Node("LogSoftmax", name, new[] { x }, Int("axis", logSoftmax.dim)),
        Recurrent recurrent => RecurrentNodes(name, x, recurrent),
        PatchEmbedding patches => PatchNodes(name, x, patches),
        PositionalEncoding positions => g.Node("Add", name, new[] { x, g.Initializer(name + ".pe", positions.Table.narrow(0, 0, link.InputShape[1])) }),
        SequenceConv1d conv => SequenceConv(name, x, conv),
        SequencePool1d pool => SequencePool(name, x, pool),
        Embedding embedding => EmbeddingNodes(name, x, embedding),
        TransformerEncoder encoder => EncoderNodes(name, x, encoder, link.Masked ? mask : null),
        GlobalAvgPool1d when link.Masked && mask is not null => MaskedMean(name, x, mask),
        ResidualBlock residual => ResidualNodes(name, x, residual, link.InputShape),
        GlobalAvgPool1d => g.Node("ReduceMean", name, new[] { x }, Ints("axes", new long[] { 1 }), Int("keepdims", 0)),
        Dropout or Dropout2d or GaussianNoise or Identity => x,
        WeightScalingDropout dropout => g.Node("Mul", name, new[] { x, g.Constant(name + ".keep", new[] { dropout.Keep }) }),
        _ => throw new OnnxExportException(model, link.Path, $"is a {link.Module.GetType().FullName}, which has no ONNX form in ModelDsl's exporter"),
    };

    /// <summary>
    /// activation(branch(x) + shortcut(x)): the branch and the projection as chains of their own (so their batch norms
    /// fold into their convolutions like any other), one Add node named after the unit, then the activation.
    /// </summary>
    private string ResidualNodes(string name, string x, ResidualBlock block, long[] inputShape)
    {
        // Write(chain, …) resets the padding mask to its argument: pass the current one on, so the layers after this unit keep it.
        string branch = Write(ModuleChain.Links(block.Branch, inputShape), x, name + ".", mask);
        string skip = block.Shortcut is null ? x : Write(ModuleChain.Links(ModuleChain.Children(block.Shortcut), inputShape), x, name + ".shortcut.", mask);
        string sum = g.Node("Add", name, new[] { branch, skip });
        return block.Activation is null ? sum : Write(new ChainLink("activation", block.Activation, inputShape), name + ".activation", sum);
    }

    /// <summary>
    /// The embedding as Gather, which refuses what the model refuses: the model's embedding throws on a token id outside
    /// [0, V), but ONNX Gather reads a negative index from the end (−1 is the last row), so the deployed graph would answer
    /// where the model does not. Negative ids are mapped to V first (Less, Where), an index past the table, which ONNX
    /// Runtime's Gather refuses as out of bounds, as it refuses any id ≥ V: the run fails instead of answering.
    /// </summary>
    private string EmbeddingNodes(string name, string ids, Embedding embedding)
    {
        long vocabulary = embedding.weight!.shape[0];
        string negative = g.Node("Less", name + ".negative_id", new[] { ids, g.Int64Constant(name + ".zero", new[] { 0L }) });
        string guarded = g.Node("Where", name + ".guarded_ids", new[] { negative, g.Int64Constant(name + ".vocabulary", new[] { vocabulary }), ids });
        return g.Node("Gather", name, new[] { g.Initializer(name + ".weight", embedding.weight!), guarded }, Int("axis", 0));
    }

    /// <summary>y = x·Wᵀ + b: Gemm for [B, F] inputs, MatMul + Add for higher ranks (Linear acts on the last dimension).</summary>
    internal string Dense(string name, string x, int rank, Tensor weight, Tensor? bias)
    {
        if (rank == 2)
        {
            var inputs = new List<string> { x, g.Initializer(name + ".weight", weight) };
            if (bias is not null) inputs.Add(g.Initializer(name + ".bias", bias));
            return g.Node("Gemm", name, inputs, Int("transB", 1));
        }
        using var scope = NewDisposeScope();
        string product = g.Node("MatMul", bias is null ? name : name + ".matmul", new[] { x, g.Initializer(name + ".weight_t", weight.t()) });
        return bias is null ? product : g.Node("Add", name, new[] { product, g.Initializer(name + ".bias", bias) });
    }

    private string Conv(string name, string x, Conv2d conv, Tensor weight, Tensor? bias)
    {
        if (conv.padding_mode != TorchSharp.PaddingModes.Zeros)
            throw new OnnxExportException(model, name, $"pads with {conv.padding_mode}; ONNX Conv pads with zeros only");
        var inputs = new List<string> { x, g.Initializer(name + ".weight", weight) };
        if (bias is not null) inputs.Add(g.Initializer(name + ".bias", bias));
        return g.Node("Conv", name, inputs,
            Ints("kernel_shape", conv.kernel_size), Ints("strides", conv.stride), Ints("dilations", conv.dilation),
            Int("group", conv.groups), Ints("pads", ConvPads(conv)));
    }

    /// <summary>ONNX pads [h_begin, w_begin, h_end, w_end]; 'same' puts the odd pixel at the end, as PyTorch does.</summary>
    private static long[] ConvPads(Conv2d conv)
    {
        int dims = conv.kernel_size.Length;
        var pads = new long[2 * dims];
        for (int i = 0; i < dims; i++)
        {
            if (conv.padding_type == TorchSharp.Padding.Same)
            {
                long total = conv.dilation[i] * (conv.kernel_size[i] - 1);
                pads[i] = total / 2;
                pads[dims + i] = total - total / 2;
            }
            else
            {
                long p = conv.padding is { } given ? given[i] : 0;
                pads[i] = p;
                pads[dims + i] = p;
            }
        }
        return pads;
    }

    private static long[] SymmetricPads(long[] padding) => padding.Concat(padding).ToArray();

    private string MaxPool(string name, string x, MaxPool2d pool)
        => g.Node("MaxPool", name, new[] { x }, Ints("kernel_shape", pool.kernel_size), Ints("strides", pool.stride ?? pool.kernel_size),
            Ints("pads", SymmetricPads(pool.padding ?? new long[pool.kernel_size.Length])),
            Ints("dilations", pool.dilation ?? Enumerable.Repeat(1L, pool.kernel_size.Length)), Int("ceil_mode", pool.ceil_mode ? 1 : 0));

    private string AveragePool(string name, string x, AvgPool2d pool)
    {
        if (pool.divisor_override is not null) throw new OnnxExportException(model, name, "sets divisor_override, which ONNX AveragePool cannot express");
        return g.Node("AveragePool", name, new[] { x }, Ints("kernel_shape", pool.kernel_size), Ints("strides", pool.stride ?? pool.kernel_size),
            Ints("pads", SymmetricPads(pool.padding ?? new long[pool.kernel_size.Length])), Int("ceil_mode", pool.ceil_mode ? 1 : 0),
            Int("count_include_pad", pool.count_include_pad ? 1 : 0));
    }

    /// <summary>flatten(1, −1) is ONNX Flatten with axis 1; other spans have no single-node form here.</summary>
    private string Flatten(string name, string x, Flatten flatten, int rank)
    {
        long end = flatten.end_dim < 0 ? flatten.end_dim + rank : flatten.end_dim;
        if (flatten.start_dim != 1 || end != rank - 1)
            throw new OnnxExportException(model, name, $"flattens dimensions {flatten.start_dim}..{flatten.end_dim}; the exporter writes only flatten(1, -1)");
        return g.Node("Flatten", name, new[] { x }, Int("axis", 1));
    }

    /// <summary>Eval-mode batch norm: (x − running_mean)/√(running_var + ε)·γ + β per channel.</summary>
    private string BatchNormNode(string name, string x, nn.Module norm)
    {
        RunningStatistics statistics = BatchNormFolding.Of(norm)
            ?? throw new OnnxExportException(model, name, "keeps no running statistics, so its eval output depends on the batch; ONNX BatchNormalization needs them");
        if (norm is not BatchNormalization { FeaturesLast: true }) return RunningStatsNorm(name, x, statistics);
        // A sequence [B, T, C]: ONNX BatchNormalization reads channels at axis 1.
        string normalized = RunningStatsNorm(name + ".norm", ChannelsFirst(name, x), statistics);
        return g.Node("Transpose", name, new[] { normalized }, Ints("perm", new long[] { 0, 2, 1 }));
    }

    /// <summary>Instance norm normalizes each sample's channel by its own statistics, unless it tracks running ones for eval.</summary>
    private string InstanceNorm(string name, string x, InstanceNorm2d norm)
    {
        if (norm.track_running_stats && norm.running_mean is not null && norm.running_var is not null)
            return RunningStatsNorm(name, x, new RunningStatistics(norm.weight, norm.bias, norm.running_mean, norm.running_var, norm.eps, norm.num_features));
        return g.Node("InstanceNormalization", name, new[] { x, Scale(name, norm.weight, norm.num_features), Shift(name, norm.bias, norm.num_features) },
            Float("epsilon", norm.eps));
    }

    private string RunningStatsNorm(string name, string x, RunningStatistics s)
        => g.Node("BatchNormalization", name,
            new[] { x, Scale(name, s.Weight, s.Channels), Shift(name, s.Bias, s.Channels), g.Initializer(name + ".running_mean", s.Mean), g.Initializer(name + ".running_var", s.Variance) },
            Float("epsilon", s.Eps));

    private string LayerNormalization(string name, string x, LayerNorm norm)
    {
        long[] shape = norm.normalized_shape;
        string scale = norm.weight is { } w ? g.Initializer(name + ".weight", w) : g.Constant(name + ".ones", Filled(shape, 1.0), shape);
        string shift = norm.bias is { } b ? g.Initializer(name + ".bias", b) : g.Constant(name + ".zeros", Filled(shape, 0.0), shape);
        return g.Node("LayerNormalization", name, new[] { x, scale, shift }, Int("axis", -shape.Length), Float("epsilon", norm.eps));
    }

    /// <summary>
    /// Group norm from opset-17 nodes (ONNX's GroupNormalization came in opset 18 and changed meaning in 21): reshape to
    /// [N, G, −1], instance-normalize each group, reshape back, then the per-channel γ and β (Wu and He 2018, eq. 1–3).
    /// </summary>
    private string GroupNormNodes(string name, string x, long groups, double eps, Tensor? weight, Tensor? bias, int rank)
    {
        string grouped = g.Node("Reshape", name + ".grouped", new[] { x, g.Int64Constant(name + ".group_shape", new[] { 0, groups, -1 }, 3) });
        string normalized = g.Node("InstanceNormalization", name + ".normalized",
            new[] { grouped, g.Ones(name + ".group_scale", groups), g.Zeros(name + ".group_shift", groups) }, Float("epsilon", eps));
        bool affine = weight is not null && bias is not null;
        string restored = g.Node("Reshape", affine ? name + ".restored" : name, new[] { normalized, g.Node("Shape", name + ".shape", new[] { x }) });
        if (!affine) return restored;
        using var scope = NewDisposeScope();
        long[] perChannel = new[] { weight!.shape[0] }.Concat(Enumerable.Repeat(1L, rank - 2)).ToArray();
        string scaled = g.Node("Mul", name + ".scaled", new[] { restored, g.Initializer(name + ".weight", weight.reshape(perChannel)) });
        return g.Node("Add", name, new[] { scaled, g.Initializer(name + ".bias", bias!.reshape(perChannel)) });
    }

    /// <summary>
    /// ONNX LSTM/GRU nodes, one per stacked layer, sequence-first ([T, B, F]; Transposes around them). ONNX orders the
    /// gates differently from PyTorch — LSTM i, o, f, c against PyTorch's i, f, g, o; GRU z, r, h against r, z, n — so the
    /// gate blocks of every weight and bias are reordered; the GRU uses linear_before_reset = 1, PyTorch's form
    /// n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn)). Between layers dropout is the identity in eval.
    /// </summary>
    private string RecurrentNodes(string name, string x, Recurrent recurrent)
    {
        bool lstm = recurrent.Kind == RecurrentKind.LSTM;
        long[] order = lstm ? new long[] { 0, 3, 1, 2 } : new long[] { 1, 0, 2 };
        string[] directions = recurrent.Bidirectional ? new[] { "", "_reverse" } : new[] { "" };
        long hidden = recurrent.HiddenSize;
        using var scope = NewDisposeScope();
        Tensor Reordered(Tensor t) => cat(order.Select(g => t.narrow(0, g * hidden, hidden)).ToArray(), 0);

        string sequence = g.Node("Transpose", name + ".time_first", new[] { x }, Ints("perm", new long[] { 1, 0, 2 }));
        string lastHidden = sequence;
        for (long layer = 0; layer < recurrent.Layers; layer++)
        {
            string l = $"{name}.l{layer}";
            Tensor w = stack(directions.Select(d => Reordered(recurrent.Parameter($"weight_ih_l{layer}{d}"))).ToArray());
            Tensor r = stack(directions.Select(d => Reordered(recurrent.Parameter($"weight_hh_l{layer}{d}"))).ToArray());
            Tensor b = stack(directions.Select(d => cat(new[] { Reordered(recurrent.Parameter($"bias_ih_l{layer}{d}")), Reordered(recurrent.Parameter($"bias_hh_l{layer}{d}")) }, 0)).ToArray());
            var attributes = new List<AttributeProto> { Int("hidden_size", hidden), Text("direction", recurrent.Bidirectional ? "bidirectional" : "forward") };
            if (!lstm) attributes.Add(Int("linear_before_reset", 1));
            string[] outputs = g.Node(lstm ? "LSTM" : "GRU", l, new[] { sequence, g.Initializer(l + ".W", w), g.Initializer(l + ".R", r), g.Initializer(l + ".B", b) },
                new[] { l + ".Y", l + ".Y_h" }, attributes.ToArray());
            lastHidden = outputs[1];                                                                       // [D, B, H]
            // Y [T, D, B, H] → [T, B, D·H], the next layer's input (and the sequence output).
            string stepsFirst = g.Node("Transpose", l + ".steps", new[] { outputs[0] }, Ints("perm", new long[] { 0, 2, 1, 3 }));
            sequence = g.Node("Reshape", l + ".sequence", new[] { stepsFirst, g.Int64Constant(l + ".sequence_shape", new long[] { 0, 0, -1 }, 3) });
        }
        if (recurrent.ReturnSequences) return g.Node("Transpose", name, new[] { sequence }, Ints("perm", new long[] { 1, 0, 2 }));
        string batchFirst = g.Node("Transpose", name + ".batch_first", new[] { lastHidden }, Ints("perm", new long[] { 1, 0, 2 }));
        return g.Node("Reshape", name, new[] { batchFirst, g.Int64Constant(name + ".last_shape", new long[] { 0, -1 }, 2) });
    }

    /// <summary>The patch embedding: a Conv with kernel and stride P, then [B, D, h, w] → [B, h·w, D].</summary>
    private string PatchNodes(string name, string x, PatchEmbedding patches)
    {
        string conv = Conv(name + ".proj", x, patches.Projection, patches.Projection.weight, patches.Projection.bias);
        string flat = g.Node("Reshape", name + ".flat", new[] { conv, g.Int64Constant(name + ".flat_shape", new long[] { 0, patches.Dimension, -1 }, 3) });
        return g.Node("Transpose", name, new[] { flat }, Ints("perm", new long[] { 0, 2, 1 }));
    }

    /// <summary>
    /// A Transformer encoder stack from MatMul/Add/Softmax/LayerNormalization nodes (opset 17 has no attention op): per
    /// layer, pre-LN x + Attn(LN(x)), x + FFN(LN(x)) or post-LN LN(x + Attn(x)), LN(x + FFN(x)); attention per head
    /// softmax(q·kᵀ/√(D/H))·v (Vaswani et al. 2017, eq. 1); dropout is the identity in eval.
    /// </summary>
    /// <summary>[B, T, F] → [B, F, T] → Conv ([C, F, k] kernel) → [B, T', C]; same padding puts an odd extra zero at the end, as PyTorch does.</summary>
    private string SequenceConv(string name, string x, SequenceConv1d conv)
    {
        long total = conv.Dilation * (conv.Kernel - 1);
        long[] pads = conv.Same ? new[] { total / 2, total - total / 2 } : new[] { conv.Padding, conv.Padding };
        var inputs = new List<string> { ChannelsFirst(name, x), g.Initializer(name + ".weight", conv.weight) };
        if (conv.bias is not null) inputs.Add(g.Initializer(name + ".bias", conv.bias));
        string y = g.Node("Conv", name + ".conv", inputs,
            Ints("kernel_shape", new[] { conv.Kernel }), Ints("strides", new[] { conv.Stride }), Ints("dilations", new[] { conv.Dilation }), Ints("pads", pads));
        return g.Node("Transpose", name, new[] { y }, Ints("perm", new long[] { 0, 2, 1 }));
    }

    /// <summary>[B, T, F] → [B, F, T] → MaxPool / AveragePool over k steps → [B, T', F].</summary>
    private string SequencePool(string name, string x, SequencePool1d pool)
    {
        var window = new[] { Ints("kernel_shape", new[] { pool.Kernel }), Ints("strides", new[] { pool.Stride }), Ints("pads", new long[] { 0, 0 }) };
        string y = g.Node(pool.Maximum ? "MaxPool" : "AveragePool", name + ".pool", new[] { ChannelsFirst(name, x) }, window);
        return g.Node("Transpose", name, new[] { y }, Ints("perm", new long[] { 0, 2, 1 }));
    }

    private string ChannelsFirst(string name, string x) => g.Node("Transpose", name + ".channels_first", new[] { x }, Ints("perm", new long[] { 0, 2, 1 }));

    /// <summary>
    /// The mean over the unpadded steps (GlobalAvgPool1d with a mask): Σ_t x_t·[not m_t] / max(1, Σ_t [not m_t]); padded
    /// steps are replaced by 0 (Where), not multiplied, so whatever they hold cannot leak in.
    /// </summary>
    private string MaskedMean(string name, string x, string paddingMask)
    {
        string steps = g.Node("Unsqueeze", name + ".mask_steps", new[] { paddingMask, g.Int64Constant(name + ".feature_axis", new long[] { 2 }, 1) });   // [B, T, 1]
        string kept = g.Node("Where", name + ".kept", new[] { steps, g.Constant(name + ".zero", new[] { 0.0 }), x });
        string axis = g.Int64Constant(name + ".time_axis", new long[] { 1 }, 1);
        string sum = g.Node("ReduceSum", name + ".sum", new[] { kept, axis }, Int("keepdims", 0));                                                        // [B, F]
        string present = g.Node("Cast", name + ".present", new[] { g.Node("Not", name + ".not_padding", new[] { steps }) }, Int("to", (long)g.ElementType));
        string count = g.Node("Max", name + ".count", new[] { g.Node("ReduceSum", name + ".steps", new[] { present, axis }, Int("keepdims", 0)), g.Constant(name + ".one", new[] { 1.0 }) });
        return g.Node("Div", name, new[] { sum, count });
    }

    private string EncoderNodes(string name, string x, TransformerEncoder encoder, string? paddingMask)
    {
        // The key padding mask as [B, 1, 1, T], broadcast over heads and queries, once for all layers; a sequence that is all
        // padding attends to all its steps, as TransformerEncoder does (a softmax over no keys would be NaN).
        string? keys = null;
        if (paddingMask is not null)
        {
            string padded = g.Node("Cast", name + ".padding_int", new[] { paddingMask }, Int("to", (long)TensorProto.Types.DataType.Int32));
            string allPadding = g.Node("Cast", name + ".all_padding", new[] { g.Node("ReduceMin", name + ".all_padding_int", new[] { padded }, Ints("axes", new long[] { 1 }), Int("keepdims", 1)) },
                Int("to", (long)TensorProto.Types.DataType.Bool));
            string kept = g.Node("And", name + ".key_mask", new[] { paddingMask, g.Node("Not", name + ".some_tokens", new[] { allPadding }) });
            keys = g.Node("Unsqueeze", name + ".key_padding", new[] { kept, g.Int64Constant(name + ".key_axes", new long[] { 1, 2 }, 2) });
        }
        for (int i = 0; i < encoder.Layers.Count; i++)
        {
            TransformerEncoderLayer layer = encoder.Layers[i];
            string l = $"{name}.layers.{i}";
            var p = layer.named_parameters().ToDictionary(n => n.name, n => (Tensor)n.parameter);
            string Norm(string input, string norm) => g.Node("LayerNormalization", $"{l}.{norm}", new[] { input, g.Initializer($"{l}.{norm}.weight", p[norm + ".weight"]), g.Initializer($"{l}.{norm}.bias", p[norm + ".bias"]) },
                Int("axis", -1), Float("epsilon", layer.Eps));
            if (layer.NormFirst)
            {
                x = g.Node("Add", l + ".attention_residual", new[] { x, Attention(l, Norm(x, "norm1"), layer, p, keys) });
                x = g.Node("Add", l + ".ffn_residual", new[] { x, FeedForward(l, Norm(x, "norm2"), layer, p) });
            }
            else
            {
                x = Norm(g.Node("Add", l + ".attention_residual", new[] { x, Attention(l, x, layer, p, keys) }), "norm1");
                x = Norm(g.Node("Add", l + ".ffn_residual", new[] { x, FeedForward(l, x, layer, p) }), "norm2");
            }
        }
        if (encoder.FinalNorm is { } final)
        {
            x = g.Node("LayerNormalization", name + ".norm", new[] { x, g.Initializer(name + ".norm.weight", final.weight!), g.Initializer(name + ".norm.bias", final.bias!) },
                Int("axis", -1), Float("epsilon", final.eps));
        }
        return x;
    }

    /// <summary>Multi-head self-attention; <paramref name="keys"/> [B, 1, 1, T] sets the scores of padding keys to −∞ (PyTorch's key_padding_mask).</summary>
    private string Attention(string l, string x, TransformerEncoderLayer layer, Dictionary<string, Tensor> p, string? keys)
    {
        long d = layer.Dimension, heads = layer.Heads, perHead = d / heads;
        using var scope = NewDisposeScope();
        Tensor weight = p["self_attn.in_proj_weight"], bias = p["self_attn.in_proj_bias"];
        string Projection(int part, string what) => g.Node("Add", $"{l}.{what}", new[]
        {
            g.Node("MatMul", $"{l}.{what}_matmul", new[] { x, g.Initializer($"{l}.{what}_weight_t", weight.narrow(0, part * d, d).t()) }),
            g.Initializer($"{l}.{what}_bias", bias.narrow(0, part * d, d)),
        });
        string Heads(string value, string what, long[] perm) => g.Node("Transpose", $"{l}.{what}_heads", new[]
        {
            g.Node("Reshape", $"{l}.{what}_split", new[] { value, g.Int64Constant($"{l}.{what}_split_shape", new long[] { 0, 0, heads, perHead }, 4) }),
        }, Ints("perm", perm));
        string q = Heads(Projection(0, "q"), "q", new long[] { 0, 2, 1, 3 });   // [B, H, T, d]
        string k = Heads(Projection(1, "k"), "k", new long[] { 0, 2, 3, 1 });   // [B, H, d, T]
        string v = Heads(Projection(2, "v"), "v", new long[] { 0, 2, 1, 3 });   // [B, H, T, d]
        string scores = g.Node("Mul", l + ".scores", new[] { g.Node("MatMul", l + ".qk", new[] { q, k }), g.Constant(l + ".scale", new[] { 1 / Math.Sqrt(perHead) }) });
        if (keys is not null) scores = g.Node("Where", l + ".masked_scores", new[] { keys, g.Constant(l + ".minus_infinity", new[] { double.NegativeInfinity }), scores });
        string mixed = g.Node("MatMul", l + ".mixed", new[] { g.Node("Softmax", l + ".weights", new[] { scores }, Int("axis", -1)), v });
        string merged = g.Node("Reshape", l + ".merged", new[]
        {
            g.Node("Transpose", l + ".merged_steps", new[] { mixed }, Ints("perm", new long[] { 0, 2, 1, 3 })),
            g.Int64Constant(l + ".merged_shape", new long[] { 0, 0, d }, 3),
        });
        return Dense(l + ".self_attn.out_proj", merged, 3, p["self_attn.out_proj.weight"], p["self_attn.out_proj.bias"]);
    }

    private string FeedForward(string l, string x, TransformerEncoderLayer layer, Dictionary<string, Tensor> p)
    {
        string hidden = Dense(l + ".linear1", x, 3, p["linear1.weight"], p["linear1.bias"]);
        string activated = layer.Activation == Activation.GELU ? Gelu(l + ".activation", hidden, tanhApproximation: false) : g.Node("Relu", l + ".activation", new[] { hidden });
        return Dense(l + ".linear2", activated, 3, p["linear2.weight"], p["linear2.bias"]);
    }

    /// <summary>GELU from opset-17 nodes: 0.5·x·(1 + erf(x/√2)), or the tanh approximation when the layer uses it (Hendrycks and Gimpel 2016).</summary>
    internal string Gelu(string name, string x, bool tanhApproximation)
    {
        string inner;
        if (tanhApproximation)
        {
            // tanh(√(2/π)·(x + 0.044715·x³))
            string cube = g.Node("Mul", name + ".x3", new[] { x, g.Node("Mul", name + ".x2", new[] { x, x }) });
            string sum = g.Node("Add", name + ".sum", new[] { x, g.Node("Mul", name + ".cubic", new[] { cube, g.Constant(name + ".c", new[] { 0.044715 }) }) });
            inner = g.Node("Tanh", name + ".tanh", new[] { g.Node("Mul", name + ".scaled", new[] { sum, g.Constant(name + ".k", new[] { Math.Sqrt(2 / Math.PI) }) }) });
        }
        else
        {
            inner = g.Node("Erf", name + ".erf", new[] { g.Node("Div", name + ".div", new[] { x, g.Constant(name + ".sqrt2", new[] { Math.Sqrt(2) }) }) });
        }
        string onePlus = g.Node("Add", name + ".one_plus", new[] { inner, g.Constant(name + ".one", new[] { 1.0 }) });
        string half = g.Node("Mul", name + ".half_x", new[] { x, g.Constant(name + ".half", new[] { 0.5 }) });
        return g.Node("Mul", name, new[] { half, onePlus });
    }

    private string Scale(string name, Tensor? weight, long channels) => weight is not null ? g.Initializer(name + ".weight", weight) : g.Ones(name + ".ones", channels);

    private string Shift(string name, Tensor? bias, long channels) => bias is not null ? g.Initializer(name + ".bias", bias) : g.Zeros(name + ".zeros", channels);

    private static double[] Filled(long[] shape, double value)
        => Enumerable.Repeat(value, checked((int)shape.Aggregate(1L, (a, b) => a * b))).ToArray();
}
