using System;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// A 1-D convolution over time on the DSL's batch-first sequences: <c>[B, T, F]</c> → <c>[B, T', C]</c>, the same
/// function as PyTorch's <c>nn.Conv1d(F, C, k)</c> on the channels-first <c>[B, F, T]</c> (Keras's Conv1D reads
/// <c>[B, T, F]</c> as this does). T' = ⌊(T + 2p − d(k − 1) − 1)/s⌋ + 1, or T with <c>same</c> padding (stride 1; an odd
/// total pad d(k − 1) puts the extra zero at the end, as PyTorch does). The weight is <c>[C, F, k]</c>, PyTorch's layout,
/// so state_dicts carry over. Written as a module of its own because TorchSharp's Conv1d reads channels-first: it holds
/// the parameters and runs <c>conv1d</c> between two transposes (views; no copy of its own).
/// </summary>
public sealed partial class SequenceConv1d : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // PyTorch's parameter names, which become state_dict keys
    /// <summary>The kernels, <c>[C, F, k]</c>.</summary>
    public readonly Parameter weight;

    /// <summary>The bias per output channel, <c>[C]</c>, or null.</summary>
    public readonly Parameter? bias;
#pragma warning restore IDE1006

    /// <param name="inChannels">F, features per step.</param>
    /// <param name="outChannels">C, filters.</param>
    /// <param name="kernel">k, steps per window.</param>
    /// <param name="stride">s.</param>
    /// <param name="padding">p zeros on each end of the time axis (ignored with <paramref name="same"/>).</param>
    /// <param name="same">Pad so that T' = T (stride 1 only).</param>
    /// <param name="dilation">d, spacing between taps.</param>
    /// <param name="hasBias">Whether there is a bias.</param>
    /// <param name="generator">Seeded draws for TorchSharp's default init U(±1/√(F·k)); null uses the global generator.</param>
    /// <param name="dtype">Parameter type (float32 when null).</param>
    public SequenceConv1d(long inChannels, long outChannels, long kernel, long stride = 1, long padding = 0, bool same = false, long dilation = 1,
        bool hasBias = true, Generator? generator = null, ScalarType? dtype = null) : base(nameof(SequenceConv1d))
    {
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || stride < 1 || dilation < 1 || padding < 0)
            throw new ArgumentOutOfRangeException(nameof(kernel), $"SequenceConv1d sizes must be positive, but in {inChannels}, out {outChannels}, kernel {kernel}, stride {stride}, dilation {dilation}, padding {padding}");
        if (same && stride != 1) throw new ArgumentException($"SequenceConv1d: same padding needs stride 1, not {stride}", nameof(same));
        InChannels = inChannels;
        OutChannels = outChannels;
        Kernel = kernel;
        Stride = stride;
        Padding = same ? 0 : padding;
        Same = same;
        Dilation = dilation;
        ScalarType type = dtype ?? ScalarType.Float32;
        weight = new Parameter(empty(new[] { outChannels, inChannels, kernel }, type));
        bias = hasBias ? new Parameter(empty(new[] { outChannels }, type)) : null;
        Initializers.TorchDefault(weight, bias, generator);
        RegisterComponents();
    }

    /// <summary>F.</summary>
    public long InChannels { get; }

    /// <summary>C.</summary>
    public long OutChannels { get; }

    /// <summary>k.</summary>
    public long Kernel { get; }

    /// <summary>s.</summary>
    public long Stride { get; }

    /// <summary>p on each end (0 with <see cref="Same"/>).</summary>
    public long Padding { get; }

    /// <summary>Same padding: T' = T.</summary>
    public bool Same { get; }

    /// <summary>d.</summary>
    public long Dilation { get; }

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">The input is not [B, T, F].</exception>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 3 || input.shape[2] != InChannels)
            throw new ShapeMismatchException(nameof(SequenceConv1d), $"[B, T, {InChannels}]", ShapeMismatchException.Format(input.shape));
        using Tensor channelsFirst = input.transpose(1, 2);
        using Tensor output = Same
            ? nn.functional.conv1d_padding(channelsFirst, weight, bias, Stride, TorchSharp.Padding.Same, Dilation)
            : nn.functional.conv1d(channelsFirst, weight, bias, Stride, Padding, Dilation);
        return output.transpose(1, 2);
    }
}
