using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

/// <summary>
/// One leaf module of a generated model, with its state_dict path, the shape it receives on the probe, whether the
/// generated forward passes it the padding mask (<see cref="ITokenModel.PaddingMaskedLayers"/>), and for a layer that reads
/// a memory (<see cref="ICrossAttentionLayer"/>) the ONNX values of the memory and its padding mask.
/// </summary>
internal sealed record ChainLink(string Path, nn.Module<Tensor, Tensor> Module, long[] InputShape, bool Masked = false, string? Memory = null, string? MemoryMask = null);

/// <summary>
/// A generated model's layers in forward order: its registered children, with each named block (a Sequential) opened
/// into its layers. The generator registers layers and blocks in the order its forward runs them, so for a generated
/// forward this chain is the model; <see cref="Of"/> checks that on a probe batch.
/// </summary>
internal static class ModuleChain
{
    /// <summary>
    /// The leaves of <paramref name="model"/>, with the input shape each sees on a probe of batch 2, and the shape the
    /// chain produces. With <paramref name="verify"/>, throws unless the model's own forward equals the chain's output on
    /// that probe within float rounding (<see cref="SameOutput"/>, far below any real difference in wiring). Call in eval
    /// mode: batch norm must not update its statistics on the probe.
    /// </summary>
    public static IReadOnlyList<ChainLink> Of(nn.Module<Tensor, Tensor> model, string modelName, IReadOnlyList<long> inputShape, ScalarType dtype, Device device,
        bool verify, out long[] outputShape)
    {
        var leaves = new List<(string Path, nn.Module<Tensor, Tensor> Module)>();
        Collect(model, "", modelName, leaves);
        var links = new List<ChainLink>();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tokens = model as ITokenModel;
        Tensor probe = tokens is null ? Probe(inputShape, dtype, device) : TokenProbe(tokens.Vocabulary, tokens.PaddingIndex, tokens.InputShape[0], device);
        Tensor? mask = tokens?.PaddingIndex is { } padding ? probe.eq(padding) : null;
        var masked = new HashSet<string>(tokens?.PaddingMaskedLayers ?? Array.Empty<string>(), StringComparer.Ordinal);
        Tensor x = probe;
        foreach ((string path, nn.Module<Tensor, Tensor> module) in leaves)
        {
            bool readsMask = masked.Contains(path);
            links.Add(new ChainLink(path, module, x.shape, readsMask));
            x = readsMask && module is IPaddingMaskedLayer maskedLayer ? maskedLayer.forward(x, mask) : module.forward(x);
        }
        outputShape = x.shape;
        if (verify)
        {
            Tensor expected = model.forward(probe);
            if (!SameOutput(expected, x))
            {
                throw new OnnxExportException(modelName, null,
                    "its forward is not the chain of its declared layers (a hand-written forward?). ONNX export writes the declared layers in order, " +
                    "so it only exports models whose forward the generator wrote");
            }
        }
        return links;
    }

    /// <summary>
    /// Whether a walk of the declared layers reproduced the model's own forward: equal shapes and max |a − b| ≤ 1e-4 ·
    /// max(1, max |expected|) (NaN equal to NaN). The bound scales with the output, as float32 rounding does: a deep
    /// network with outputs in the tens differs by 1e-5 between two convolution algorithms (channels-last or not, a
    /// different thread count), which an element-wise absolute tolerance took for a wiring difference.
    /// </summary>
    internal static bool SameOutput(Tensor expected, Tensor actual)
    {
        if (!expected.shape.SequenceEqual(actual.shape)) return false;
        if (expected.numel() == 0) return true;
        using var scope = NewDisposeScope();
        Tensor infinite = expected.isinf();
        if (!expected.isnan().eq(actual.isnan()).all().item<bool>() || !infinite.eq(actual.isinf()).all().item<bool>() ||
            !expected.masked_select(infinite).eq(actual.masked_select(infinite)).all().item<bool>()) return false;
        Tensor finite = expected.isfinite();
        if (!finite.any().item<bool>()) return true;
        Tensor a = expected.masked_select(finite).to(ScalarType.Float64), b = actual.masked_select(finite).to(ScalarType.Float64);
        double scale = Math.Max(1.0, a.abs().max().item<double>());
        return (a - b).abs().max().item<double>() <= 1e-4 * scale;
    }

    /// <summary>
    /// A sub-chain's links (a residual unit's branch or shortcut), with the shape each layer receives when a zero batch of
    /// <paramref name="inputShape"/> (batch included) runs through them; call in eval mode.
    /// </summary>
    public static IReadOnlyList<ChainLink> Links(IEnumerable<(string Name, nn.Module<Tensor, Tensor> Module)> layers, long[] inputShape)
    {
        var list = layers.ToList();
        Parameter? any = list.SelectMany(l => l.Module.parameters()).FirstOrDefault();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = zeros(inputShape, any?.dtype ?? ScalarType.Float32, any?.device);
        var links = new List<ChainLink>();
        foreach ((string name, nn.Module<Tensor, Tensor> module) in list)
        {
            links.Add(new ChainLink(name, module, x.shape));
            x = module.forward(x);
        }
        return links;
    }

    /// <summary>A Sequential's leaves as named Tensor → Tensor layers (a block, a projection shortcut; nested Sequentials as paths, 0.conv), or the module itself.</summary>
    public static IEnumerable<(string Name, nn.Module<Tensor, Tensor> Module)> Children(nn.Module<Tensor, Tensor> module)
        => module is Sequential sequential
            ? sequential.named_children().SelectMany(c => c.module is Sequential nested
                ? Children(nested).Select(n => (c.name + "." + n.Name, n.Module))
                : new[] { (c.name, (nn.Module<Tensor, Tensor>)c.module) })
            : new[] { ("0", module) };

    /// <summary>The probe batch: two samples from a fixed generator, so an export is reproducible.</summary>
    private static Tensor Probe(IReadOnlyList<long> inputShape, ScalarType dtype, Device device)
    {
        var generator = new Generator(20261129);
        long[] shape = new long[] { 2 }.Concat(inputShape).ToArray();
        return randn(shape, dtype, generator: generator).to(device);
    }

    /// <summary>
    /// Token ids [2, <paramref name="steps"/>] of a vocabulary of <paramref name="vocabulary"/>, from a fixed generator; with
    /// a padding id, the first sample holds none and the second ends in padding from its middle on (right padding).
    /// </summary>
    internal static Tensor TokenProbe(long vocabulary, long? paddingIndex, long steps, Device device)
    {
        var generator = new Generator(20261129);
        Tensor ids = randint(0, vocabulary, new long[] { 2, steps }, ScalarType.Int64, generator: generator);
        if (paddingIndex is { } padding && vocabulary > 1)
        {
            ids = ids.masked_fill(ids.eq(padding), (padding + 1) % vocabulary);
            ids[1, TensorIndex.Slice((steps + 1) / 2)] = tensor(padding);
        }
        return ids.to(device);
    }

    private static void Collect(nn.Module module, string prefix, string modelName, List<(string, nn.Module<Tensor, Tensor>)> leaves)
    {
        foreach ((string name, nn.Module child) in module.named_children())
        {
            string path = prefix.Length == 0 ? name : prefix + "." + name;
            if (child is Sequential) Collect(child, path, modelName, leaves);
            else if (child is nn.Module<Tensor, Tensor> leaf) leaves.Add((path, leaf));
            else throw new OnnxExportException(modelName, path, $"is a {child.GetType().Name}, not a Tensor → Tensor layer");
        }
    }
}
