using System;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// A stack of <see cref="TransformerEncoderLayer"/>s over <c>[B, T, D]</c> (children <c>layers.0</c>, …), followed, for
/// pre-LN stacks, by a final layer norm (<c>norm</c>): pre-LN layers leave their residual stream unnormalized, and the
/// Vision Transformer and GPT-2 normalize it once at the end. Weights are drawn from the given generator with PyTorch's
/// init: attention input projections Glorot-uniform, their biases 0 (nn.MultiheadAttention._reset_parameters), linear
/// layers TorchSharp's default U(±1/√fan_in), norms γ = 1, β = 0. A causal stack (GPT's decoder-only blocks) lets each step
/// attend to itself and earlier steps only, and can carry a <see cref="KeyValueCache"/> from one forward to the next.
/// </summary>
public sealed partial class TransformerEncoder : nn.Module<Tensor, Tensor>, IPaddingMaskedLayer
{
#pragma warning disable IDE1006 // registered names
    private readonly ModuleList<TransformerEncoderLayer> layers;
    private readonly LayerNorm? norm;
#pragma warning restore IDE1006

    /// <param name="dimension">D; a multiple of <paramref name="heads"/>.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="feedForward">F, the feed-forward width.</param>
    /// <param name="count">Stacked layers.</param>
    /// <param name="dropout">Dropout in training (attention weights, FFN, residual branches).</param>
    /// <param name="activation">ReLU or GELU.</param>
    /// <param name="normFirst">Pre-LN (with a final norm) instead of post-LN.</param>
    /// <param name="eps">Layer norm ε.</param>
    /// <param name="generator">Seeded draws; null uses the global generator.</param>
    /// <param name="dtype">Parameter type (float32 when null).</param>
    /// <param name="causal">Each step attends to itself and earlier steps only (see <see cref="TransformerEncoderLayer"/>).</param>
    /// <param name="init">PyTorch's init (default) or GPT-2's (<see cref="TransformerInit.Gpt2"/>).</param>
    public TransformerEncoder(long dimension, long heads, long feedForward, long count = 1, double dropout = 0.1, Activation activation = Activation.ReLU,
        bool normFirst = true, double eps = 1e-5, Generator? generator = null, ScalarType? dtype = null, bool causal = false, TransformerInit init = TransformerInit.PyTorch)
        : base(nameof(TransformerEncoder))
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "TransformerEncoder needs at least one layer");
        layers = new ModuleList<TransformerEncoderLayer>(Enumerable.Range(0, checked((int)count))
            .Select(_ => new TransformerEncoderLayer(dimension, heads, feedForward, dropout, activation, normFirst, eps, dtype, causal)).ToArray());
        Causal = causal;
        register_module(nameof(layers), layers);
        if (normFirst)
        {
            norm = nn.LayerNorm(dimension, eps, dtype: dtype);
            register_module(nameof(norm), norm);
        }
        if (init == TransformerInit.Gpt2) InitializeGpt2(generator);
        else Initialize(generator);
    }

    /// <summary>The layers, in order.</summary>
    public ModuleList<TransformerEncoderLayer> Layers => layers;

    /// <summary>The final norm of a pre-LN stack, else null.</summary>
    public LayerNorm? FinalNorm => norm;

    /// <summary>True when each step attends to itself and earlier steps only.</summary>
    public bool Causal { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => forward(input, null);

    /// <summary>Encodes <c>[B, T, D]</c>; <paramref name="paddingMask"/> <c>[B, T]</c> is true at padding steps, which no step attends to (the key padding mask).</summary>
    /// <remarks>
    /// A sequence that is all padding has no key to attend to: a softmax over no keys is NaN (PyTorch's too), and its NaN
    /// gradients would reach every weight. Such a sequence attends to all of its steps instead: finite, and what it
    /// produces is padding, which the layers after (GlobalAvgPool1d with the mask) leave out.
    /// </remarks>
    public Tensor forward(Tensor input, Tensor? paddingMask) => forward(input, paddingMask, null);

    /// <summary>
    /// Encodes <c>[B, n, D]</c>, the n steps that follow those in <paramref name="cache"/>, and appends their keys and values
    /// to it: a causal stack then gives each new step the output it would have in one forward over every step so far.
    /// </summary>
    /// <exception cref="InvalidOperationException">A cache is given to a stack that is not causal, or with a padding mask.</exception>
    public Tensor forward(Tensor input, Tensor? paddingMask, KeyValueCache? cache)
    {
        using Tensor? keys = paddingMask?.logical_and(paddingMask.all(1, keepdim: true).logical_not());
        Tensor x = input;
        for (int i = 0; i < layers.Count; i++) x = Intermediate.Replace(x, layers[i].forward(x, keys, cache, i), input);
        cache?.Advance(input.shape[1]);
        return norm is null ? x : Intermediate.Replace(x, norm.forward(x), input);
    }

    /// <remarks>
    /// Every parameter is drawn or set by name: TorchSharp's MultiheadAttention does not expose its output projection
    /// as a <see cref="Linear"/> module, so a walk over Linear modules left <c>self_attn.out_proj.weight</c> with the
    /// draw the constructor made from the global generator, and the seed did not decide it.
    /// </remarks>
    /// <summary>GPT-2's init (nanoGPT's _init_weights): N(0, 0.02²) weights, zero biases, residual projections N(0, (0.02/√(2L))²).</summary>
    private void InitializeGpt2(Generator? generator)
    {
        using var noGrad = no_grad();
        double residualStd = Gpt2Std / Math.Sqrt(2.0 * layers.Count);
        foreach (TransformerEncoderLayer layer in layers)
        {
            var p = layer.named_parameters().ToDictionary(entry => entry.name, entry => entry.parameter);
            Initializers.Normal(p["self_attn.in_proj_weight"], 0, Gpt2Std, generator);
            Initializers.Normal(p["linear1.weight"], 0, Gpt2Std, generator);
            Initializers.Normal(p["linear2.weight"], 0, residualStd, generator);
            Initializers.Normal(p["self_attn.out_proj.weight"], 0, residualStd, generator);
            foreach (string bias in new[] { "self_attn.in_proj_bias", "self_attn.out_proj.bias", "linear1.bias", "linear2.bias" }) p[bias].zero_();
        }
    }

    /// <summary>GPT-2's standard deviation of weights, 0.02.</summary>
    public const double Gpt2Std = 0.02;

    private void Initialize(Generator? generator)
    {
        using var noGrad = no_grad();
        foreach (TransformerEncoderLayer layer in layers)
        {
            var p = layer.named_parameters().ToDictionary(entry => entry.name, entry => entry.parameter);
            Initializers.XavierUniform(p["self_attn.in_proj_weight"], 1.0, generator);
            p["self_attn.in_proj_bias"].zero_();
            Initializers.TorchDefault(p["linear1.weight"], p["linear1.bias"], generator);
            Initializers.TorchDefault(p["linear2.weight"], p["linear2.bias"], generator);
            // Last, so the draws before it are those of earlier versions. nn.MultiheadAttention's out_proj is a Linear with its default weight init and a zero bias.
            Initializers.TorchDefault(p["self_attn.out_proj.weight"], null, generator);
            p["self_attn.out_proj.bias"].zero_();
        }
    }
}
