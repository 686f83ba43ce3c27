using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Eval-time batch-norm folding for a generated model: <c>using var fast = model.Folded();</c> then
/// <c>fast.forward(x)</c> inside <c>using (model.Evaluating())</c> runs every Dense or Conv2d that a batch norm follows as
/// one layer with the batch norm folded into its weights (Ioffe and Szegedy 2015, §3.2: in inference BN is the fixed affine
/// map y = (z − μ)·γ/√(σ² + ε) + β, so W' = s ⊙ W and b' = (b − μ)·s + β with s = γ/√(σ² + ε), the same folding as the ONNX
/// exporter's). The folded weights are a cached copy, rebuilt whenever the model's parameters or running statistics have
/// changed since it was made (training steps, optimizer steps, <c>LoadWeights</c>, checkpoints, <c>to(dtype/device)</c>,
/// edits under <c>no_grad</c>), so the output never differs from the model's own eval forward beyond float rounding.
/// </summary>
/// <remarks>
/// <para><b>When it folds.</b> Only when the model is in eval mode, every folded batch norm is in eval mode, gradients are
/// off (<c>Evaluating()</c> or <c>no_grad()</c>: the folded weights are detached, so a graph through them would not reach
/// the model's parameters) and <see cref="Enabled"/> is true. Otherwise <see cref="forward"/> is the model's own forward,
/// unchanged: in training mode, with gradients on, and for models it cannot fold (<see cref="NotFoldedReason"/> says why: a
/// hand-written forward that is not the chain of the declared layers, a token model, no Dense/Conv2d followed by a batch
/// norm). <see cref="FoldedExtensions.Folded{TModel}(TModel, bool)"/> with <c>require: true</c> throws instead for a model
/// it cannot fold.</para>
/// <para><b>What is checked on each call.</b> Libtorch keeps a version counter per tensor that every in-place change
/// bumps, but TorchSharp 0.107 does not expose it (no binding for <c>_version</c>). So the cache keeps, per folded layer,
/// the tensor objects it was built from and an exact copy of their values, and on each folded call compares: the module
/// still holds the same tensor objects (<c>to(dtype/device)</c> and assigning a new Parameter replace them), with the same
/// dtype and device, and every element equal to the copy (bit for bit, or libtorch's <c>torch.equal</c> for a tensor
/// off the CPU or not contiguous; in-place writes keep the object, so only the values can show them). An exact
/// comparison cannot miss a change, whatever wrote it; a sum or a hash of the values could. The cost: one read of the
/// folded layers' parameters per call and one extra copy of them in memory (besides the folded weights), small next to
/// a forward at any batch worth folding. The chain of layers itself is compared too
/// (the model's registered children, in order), and after each rebuild the folded forward is checked against the model's
/// own on a probe batch of 2; if they disagree the model's forward is used (<see cref="NotFoldedReason"/> says so).</para>
/// <para>Not thread-safe: one instance per thread, as for the model itself. Dispose it to free the cached tensors.</para>
/// </remarks>
public sealed class FoldedInference : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly string modelName;
    private readonly IReadOnlyList<long> inputShape;
    private readonly nn.Module[] children;
    private readonly Step[] steps;
    private readonly FoldedLayer[] folded;
    private bool current;
    private bool disposed;

    /// <summary>
    /// Process-wide switch (default true; the environment variable <c>MODELDSL_BN_FOLDING=0</c> starts a process with it
    /// off). When false, <see cref="forward"/> is the model's own forward.
    /// </summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("MODELDSL_BN_FOLDING") != "0";

    internal FoldedInference(nn.Module<Tensor, Tensor> model, IReadOnlyList<long> inputShape, bool require)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
        modelName = model.GetType().Name;
        this.inputShape = inputShape;
        children = model.named_children().Select(c => c.module).ToArray();
        steps = Array.Empty<Step>();
        folded = Array.Empty<FoldedLayer>();
        string? reason = null;
        if (model is ITokenModel)
        {
            reason = "a token model (its first layer reads token ids and some layers read the padding mask) is not folded";
        }
        else
        {
            // The chain walk runs the model on a probe: eval mode, so batch norm does not update its statistics.
            using (model.Evaluating())
            {
                try
                {
                    Parameter? first = model.parameters().FirstOrDefault(p => p.is_floating_point());
                    IReadOnlyList<ChainLink> chain = ModuleChain.Of(model, modelName, inputShape, first?.dtype ?? ScalarType.Float32, first?.device ?? CPU, verify: true, out _);
                    var list = new List<FoldedLayer>();
                    steps = Plan(chain.Select(l => (l.Module, l.InputShape)).ToList(), list, model);
                    folded = list.ToArray();
                    if (folded.Length == 0) reason = "it has no Dense or Conv2d directly followed by a batch norm with running statistics";
                }
                catch (OnnxExportException e)
                {
                    reason = e.Layer is null
                        ? "its forward is not the chain of its declared layers (a hand-written forward?)"
                        : $"its child '{e.Layer}' is not a Tensor → Tensor layer";
                }
                catch (Exception e) when (e is ShapeMismatchException or ArgumentException or System.Runtime.InteropServices.ExternalException)
                {
                    // The declared layers fed one into the next fail on the probe: the forward does something else between them.
                    reason = $"its forward is not the chain of its declared layers (run in order they fail on a probe: {e.Message})";
                }
            }
        }
        NotFoldedReason = reason;
        if (reason is not null && require)
            throw new NotSupportedException($"FoldedInference: the model {modelName} cannot run with batch norm folded: {reason}.");
    }

    /// <summary>True when the model's structure allows folding (at least one Dense/Conv2d + batch norm pair in a verified chain).</summary>
    public bool CanFold => NotFoldedReason is null;

    /// <summary>Why <see cref="forward"/> runs the model's own forward even in eval mode, or null when it folds.</summary>
    public string? NotFoldedReason { get; private set; }

    /// <summary>How many Dense/Conv2d + batch norm pairs are folded (residual branches and shortcuts included).</summary>
    public int FoldedPairs => folded.Length;

    /// <summary>How many times the folded weights were computed: once, then once per change of the model's weights.</summary>
    public int Rebuilds { get; private set; }

    /// <summary>Whether the last <see cref="forward"/> call ran folded (false when it ran the model's own forward).</summary>
    public bool LastCallFolded { get; private set; }

    /// <summary>
    /// The model's eval output for <paramref name="input"/> [B, ..InputShape] (shape and dtype of the model's own
    /// forward), computed with the batch norms folded when the conditions in the remarks of <see cref="FoldedInference"/>
    /// hold, otherwise by the model's forward. Temporaries are disposed; the result belongs to the caller's dispose scope.
    /// </summary>
    /// <exception cref="ShapeMismatchException">The input is not [B, ..InputShape].</exception>
    /// <exception cref="ArgumentException">The input's dtype is not the model's.</exception>
    /// <exception cref="ObjectDisposedException">This instance was disposed.</exception>
    public Tensor forward(Tensor input)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(input);
        LastCallFolded = false;
        if (!ShouldFold()) return model.forward(input);
        ShapeGuard.RequireBatchOf(input, inputShape, modelName, model);
        if (!current && !Rebuild()) return model.forward(input);
        LastCallFolded = true;
        using var scope = NewDisposeScope();
        Tensor y = Run(input);
        if (y.dim() == 4 && !y.is_contiguous()) y = y.contiguous();   // an image output goes back NCHW, as the generated forward returns it
        return ReferenceEquals(y, input) ? y : y.MoveToOuterDisposeScope();
    }

    /// <summary>Frees the folded weights and the copies they are checked against (not the model, which the caller owns).</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (FoldedLayer layer in folded) layer.Release();
    }

    private bool ShouldFold()
    {
        if (!Enabled || NotFoldedReason is not null || model.training || is_grad_enabled()) return false;
        // The chain the plan was made for: the same children in the same order.
        int i = 0;
        foreach ((string _, nn.Module child) in model.named_children())
        {
            if (i >= children.Length || !ReferenceEquals(children[i], child)) return Structural("a child module was replaced after folding was set up");
            i++;
        }
        if (i != children.Length) return Structural("the model's children changed after folding was set up");
        foreach (FoldedLayer layer in folded)
        {
            if (layer.Norm.training) return false;   // a batch norm in training mode normalizes with the batch's statistics
            if (current && !layer.IsCurrent()) current = false;
        }
        return true;
    }

    private bool Structural(string reason)
    {
        NotFoldedReason = reason;
        return false;
    }

    /// <summary>Recomputes every folded layer and checks the folded forward against the model's own on a probe.</summary>
    private bool Rebuild()
    {
        foreach (FoldedLayer layer in folded) layer.Build();
        Rebuilds++;
        using var scope = NewDisposeScope();
        Parameter? first = model.parameters().FirstOrDefault(p => p.is_floating_point());
        ScalarType dtype = first?.dtype ?? ScalarType.Float32;
        long[] shape = new long[] { 2 }.Concat(inputShape).ToArray();
        Tensor probe = randn(shape, dtype, generator: new Generator(20261204)).to(first?.device ?? CPU);
        Tensor expected = model.forward(probe);
        Tensor actual = Run(probe);
        // Folding only changes where rounding happens. Each Dense/Conv output is a dot product of K terms, computed within
        // γ_K·Σ|w·x| of its exact value (γ_K ≈ K·u, Higham 2002, §3.1) folded or not; folding adds one rounding per weight
        // and removes batch norm's four operations. So, to first order, the outputs differ by at most
        // pairs · 2(K + 5) · u of their scale (K the largest fan-in). A wiring or statistics error is O(scale).
        double scale = Math.Max(expected.abs().max().to(ScalarType.Float64).item<double>(), 1e-12);
        long fanIn = folded.Max(f => f.FanIn);
        double tolerance = folded.Length * 2.0 * (fanIn + 5) * UnitRoundoff(dtype) * scale;
        if (!expected.shape.SequenceEqual(actual.shape) || !actual.allclose(expected, rtol: 0, atol: tolerance))
        {
            NotFoldedReason = $"the folded forward disagreed with the model's own on a probe batch (more than {tolerance:G3} apart)";
            return false;
        }
        current = true;
        return true;
    }

    /// <summary>u, half the distance from 1 to the next float of <paramref name="dtype"/>.</summary>
    private static double UnitRoundoff(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => Math.Pow(2, -53),
        ScalarType.Float16 => Math.Pow(2, -11),
        ScalarType.BFloat16 => Math.Pow(2, -8),
        _ => Math.Pow(2, -24),
    };

    private Tensor Run(Tensor input)
    {
        Tensor x = input;
        foreach (Step step in steps) x = step.Run(x);
        return x;
    }

    /// <summary>The steps for layers in order, each with the shape it receives on the probe (batch included).</summary>
    private static Step[] Plan(IReadOnlyList<(nn.Module<Tensor, Tensor> Module, long[] InputShape)> layers, List<FoldedLayer> folded, nn.Module model)
    {
        var plan = new List<Step>();
        for (int i = 0; i < layers.Count; i++)
        {
            (nn.Module<Tensor, Tensor> module, long[] shape) = layers[i];
            if (i + 1 < layers.Count && Foldable(module, layers[i + 1].Module, shape))
            {
                // A ReLU right after the pair rectifies the folded layer's output in place (in cache, for a convolution),
                // or, where a max pooling follows, the pooled output: ReLU and max commute (both are monotone), and the pool
                // leaves a quarter of the elements (2×2) to rectify.
                bool rectify = i + 2 < layers.Count && layers[i + 2].Module is ReLU;
                bool poolFirst = rectify && i + 3 < layers.Count && layers[i + 3].Module is MaxPooling2D;
                var layer = new FoldedLayer(module, layers[i + 1].Module, rectify && !poolFirst, model);
                folded.Add(layer);
                plan.Add(layer);
                i += rectify ? 2 : 1;
                if (poolFirst) plan.Add(new RectifiedStep(new PoolStep((MaxPooling2D)layers[++i].Module)));
            }
            else if (module is MaxPooling2D pool)
            {
                plan.Add(new PoolStep(pool));
            }
            else if (module is ResidualBlock block)
            {
                Step[] branch = Plan(ModuleChain.Links(block.Branch, shape).Select(l => (l.Module, l.InputShape)).ToList(), folded, model);
                Step[]? shortcut = block.Shortcut is null
                    ? null
                    : Plan(ModuleChain.Links(ModuleChain.Children(block.Shortcut), shape).Select(l => (l.Module, l.InputShape)).ToList(), folded, model);
                plan.Add(new ResidualStep(branch, shortcut, block.Activation, model));
            }
            else
            {
                plan.Add(new ModuleStep(module));
            }
        }
        return plan.ToArray();
    }

    /// <summary>
    /// A Dense on [N, F] (on a sequence [N, T, F] the batch norm after it would normalize dimension 1, not the Dense's
    /// outputs) or a zero-padded Conv2d, followed by a batch norm over their output channels.
    /// </summary>
    private static bool Foldable(nn.Module layer, nn.Module next, long[] layerInput)
        => BatchNormFolding.CanFold(layer, next) && layer switch
        {
            Linear => layerInput.Length == 2,
            Conv2d conv => conv.padding_mode == TorchSharp.PaddingModes.Zeros && layerInput.Length == 4,
            _ => false,
        };

    private abstract class Step
    {
        public abstract Tensor Run(Tensor x);
    }

    private sealed class ModuleStep(nn.Module<Tensor, Tensor> module) : Step
    {
        public override Tensor Run(Tensor x) => module.forward(x);
    }

    /// <summary>A max pooling, pairwise where it can (<see cref="MaxPooling2D.PairwiseMaximum"/>).</summary>
    private sealed class PoolStep(MaxPooling2D pool) : Step
    {
        public override Tensor Run(Tensor x) => pool.ForwardPairwise(x);
    }

    /// <summary>A step whose fresh output is then rectified in place, max(0, ·).</summary>
    private sealed class RectifiedStep(Step step) : Step
    {
        public override Tensor Run(Tensor x) => step.Run(x).relu_();
    }

    private sealed class ResidualStep(Step[] branch, Step[]? shortcut, nn.Module<Tensor, Tensor>? activation, nn.Module model) : Step
    {
        public override Tensor Run(Tensor input)
        {
            Tensor x = input;
            foreach (Step step in branch) x = step.Run(x);
            Tensor skip = input;
            if (shortcut is not null) foreach (Step step in shortcut) skip = step.Run(skip);
            Tensor sum = x + skip;
            Tensor y = activation is null ? sum : activation.forward(sum);
            return y.dim() == 4 ? ChannelsLast.From(y, model) : y;
        }
    }

    /// <summary>
    /// A Dense or Conv2d with the batch norm after it folded in (and the ReLU after that, where <paramref name="rectify"/>),
    /// and what the folded weights were computed from.
    /// </summary>
    private sealed class FoldedLayer(nn.Module<Tensor, Tensor> layer, nn.Module<Tensor, Tensor> norm, bool rectify, nn.Module model) : Step
    {
        private Tensor? weight, bias;
        // The tensor objects the folded weights were computed from, and exact copies of their values then.
        private Tensor?[] sources = Array.Empty<Tensor?>();
        private Tensor?[] copies = Array.Empty<Tensor?>();

        public nn.Module Norm => norm;

        /// <summary>K: the terms of each output's dot product (in_features, or in_channels/groups · kH · kW).</summary>
        public long FanIn { get; } = layer switch
        {
            Linear linear => linear.in_features,
            Conv2d conv => conv.in_channels / conv.groups * conv.kernel_size.Aggregate(1L, (a, k) => a * k),
            _ => 1,
        };

        /// <summary>The layer's weight and bias and the batch norm's γ, β, μ and σ², as the modules hold them now.</summary>
        private Tensor?[] Sources()
        {
            RunningStatistics statistics = BatchNormFolding.Of(norm)!;
            (Tensor w, Tensor? b) = layer switch
            {
                Linear linear => ((Tensor)linear.weight, (Tensor?)linear.bias),
                Conv2d conv => (conv.weight, conv.bias),
                _ => throw new InvalidOperationException("unreachable: only Linear and Conv2d are folded"),
            };
            return new[] { w, b, statistics.Weight, statistics.Bias, statistics.Mean, statistics.Variance };
        }

        public bool IsCurrent()
        {
            Tensor?[] now = Sources();
            for (int i = 0; i < now.Length; i++)
            {
                Tensor? a = now[i], copy = copies[i];
                if (!ReferenceEquals(a, sources[i])) return false;
                if (a is null || copy is null) continue;
                if (a.dtype != copy.dtype || a.device_type != copy.device_type || a.device_index != copy.device_index || !SameValues(a, copy)) return false;
            }
            return true;
        }

        // Equal bits mean equal values, so contiguous CPU tensors are compared as bytes (.NET's vectorized SequenceEqual,
        // over TorchSharp's span of the tensor's memory): 30 against 104 µs with libtorch's at::equal for a 256 × 784
        // weight, which made the folded card MLP slower than its own forward. Otherwise Tensor.Equals(Tensor), libtorch's
        // at::equal: same shape, every element equal. (A −0 where +0 was, equal as values, only costs a rebuild.)
        private static bool SameValues(Tensor a, Tensor copy)
            => a.device_type == TorchSharp.DeviceType.CPU && a.is_contiguous() && copy.is_contiguous()
                ? a.shape.AsSpan().SequenceEqual(copy.shape) && a.bytes.SequenceEqual(copy.bytes)
                : a.Equals(copy);

        public void Build()
        {
            Release();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            (Tensor w, Tensor b) = BatchNormFolding.Fold(layer, norm);
            weight = w.DetachFromDisposeScope();
            bias = b.DetachFromDisposeScope();
            sources = Sources();
            copies = sources.Select(t => t?.detach().clone().DetachFromDisposeScope()).ToArray();
        }

        public void Release()
        {
            weight?.Dispose();
            bias?.Dispose();
            weight = bias = null;
            foreach (Tensor? copy in copies) copy?.Dispose();
            copies = Array.Empty<Tensor?>();
            sources = Array.Empty<Tensor?>();
        }

        public override Tensor Run(Tensor x)
        {
            if (layer is Linear) return Rectified(nn.functional.linear(x, weight!, bias));
            var conv = (Conv2d)layer;
            bool channelsLast = ChannelsLast.RunsChannelsLast(model);
            if (channelsLast)
            {
                // Channels-last already: unfolded a block of images at a time, bias and ReLU applied while the block is in cache.
                if (ChannelsLastConvolution.AppliesChannelsLast(conv, x)) return ChannelsLastConvolution.ForwardChannelsLast(conv, x, weight!, bias, rectify);
                // Where the generated forward switches to channels-last after this convolution, it writes NHWC itself.
                if (ChannelsLastConvolution.Applies(conv, x)) return Rectified(ChannelsLastConvolution.Forward(conv, x, weight!, bias));
            }
            // A one-channel input goes in as a channels-last view where the model runs channels-last, as the generated
            // forward hands it on (ChannelsLast.FromLayer): the output then comes back NHWC, with no copy.
            using Tensor? view = channelsLast ? ChannelsLast.SingleChannelView(x) : null;
            Tensor input = view ?? x;
            Tensor y = conv.padding_type is { } padding
                ? nn.functional.conv2d_padding(input, weight!, bias, conv.stride, padding, conv.dilation, conv.groups)
                : nn.functional.conv2d(input, weight!, bias, conv.stride, conv.padding, conv.dilation, conv.groups);
            // The generated forward switches image activations to channels-last after its first convolution (ChannelsLast);
            // From is a no-op on a tensor that already is, or has one channel.
            return Rectified(ChannelsLast.From(y, model));
        }

        // The folded layer's own fresh output, so rectified in place.
        private Tensor Rectified(Tensor y) => rectify ? y.relu_() : y;
    }
}

/// <summary><c>model.Folded()</c>: see <see cref="FoldedInference"/>.</summary>
public static class FoldedExtensions
{
    /// <summary>
    /// A <see cref="FoldedInference"/> for <paramref name="model"/>: its eval forward with each Dense/Conv2d + batch norm
    /// pair folded into one layer (Ioffe and Szegedy 2015, §3.2), invalidated whenever the weights change. Walks the
    /// model on a probe batch of 2 in eval mode (modes restored, running statistics untouched). Dispose it when done.
    /// </summary>
    /// <param name="model">A generated model (its forward the chain of its declared layers).</param>
    /// <param name="require">Throw when the model cannot be folded, instead of running its own forward.</param>
    /// <exception cref="NotSupportedException"><paramref name="require"/> and the model cannot be folded; the message names the model and why.</exception>
    public static FoldedInference Folded<TModel>(this TModel model, bool require = false) where TModel : nn.Module<Tensor, Tensor>, IGeneratedModel
        => new(model, model.InputShape, require);
}
