using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Autoregressive generation for a causal token model (GPT's sampling loop, as nanoGPT's <c>generate</c>): append one
/// token at a time, drawn from the model's distribution for the next step, softmax(logits / temperature) restricted to
/// the <c>topK</c> most likely tokens. With the <see cref="KeyValueCache"/> each new token runs the model on that token
/// alone (its attention reads the cached keys and values of the earlier steps, its position code starts where they end);
/// without it every token re-runs the whole window. Both give the same tokens for the same seed. Beyond the context the
/// window slides (the last <c>Context</c> tokens, positions from 0 again, as nanoGPT crops), which invalidates every cached
/// step, so from there each token runs the whole window.
/// </summary>
public sealed class TokenGenerator
{
    private readonly nn.Module model;
    private readonly IReadOnlyList<nn.Module<Tensor, Tensor>> layers;

    /// <summary>Generation over <paramref name="layers"/>, the model's modules in forward order (a Sequential's children are taken in order).</summary>
    /// <param name="model">The model, switched to eval mode (dropout off) while generating.</param>
    /// <param name="layers">Its layers in order: token embedding, per-step layers, a causal <see cref="TransformerEncoder"/>, the output projection.</param>
    /// <param name="context">The longest window the model reads (its positional table's length).</param>
    /// <exception cref="ArgumentException">No causal TransformerEncoder among the layers.</exception>
    public TokenGenerator(nn.Module model, IEnumerable<nn.Module<Tensor, Tensor>> layers, long context)
    {
        this.model = model;
        this.layers = layers.SelectMany(Flatten).ToList();
        Context = context;
        if (!this.layers.OfType<TransformerEncoder>().Any(e => e.Causal))
            throw new ArgumentException($"TokenGenerator: {model.GetName()} has no causal TransformerEncoder; generating from a model whose steps read later steps would not be the model's own distribution.", nameof(layers));
    }

    /// <summary>The longest window the model reads.</summary>
    public long Context { get; }

    /// <summary>
    /// Appends <paramref name="maxNewTokens"/> tokens to each row of <paramref name="prompt"/> <c>[B, t]</c> (Int64 ids) and
    /// returns <c>[B, t + maxNewTokens]</c>.
    /// </summary>
    /// <param name="prompt">Int64 token ids [B, t], t ≥ 1.</param>
    /// <param name="maxNewTokens">Tokens to append (≥ 0).</param>
    /// <param name="temperature">Divides the logits before the softmax; 0 picks the most likely token (greedy).</param>
    /// <param name="topK">Samples among the k most likely tokens only; null for all.</param>
    /// <param name="seed">Seeds the draws, so the same seed gives the same tokens; null draws from TorchSharp's global generator.</param>
    /// <param name="useCache">Run each new token alone against the <see cref="KeyValueCache"/> (false: re-run the window).</param>
    /// <exception cref="ArgumentException">The prompt is not Int64 [B, t ≥ 1], or an argument is out of range.</exception>
    public Tensor Generate(Tensor prompt, int maxNewTokens, double temperature = 1.0, int? topK = null, long? seed = null, bool useCache = true)
    {
        if (prompt.dtype != ScalarType.Int64 || prompt.dim() != 2 || prompt.shape[1] < 1)
            throw new ArgumentException($"TokenGenerator: the prompt must be Int64 token ids [B, t ≥ 1], got {prompt.dtype} {ShapeMismatchException.Format(prompt.shape)}.", nameof(prompt));
        if (maxNewTokens < 0) throw new ArgumentOutOfRangeException(nameof(maxNewTokens), maxNewTokens, "TokenGenerator: maxNewTokens must be at least 0.");
        if (!(temperature >= 0) || double.IsInfinity(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "TokenGenerator: the temperature is finite and at least 0 (0: greedy).");
        if (topK is < 1) throw new ArgumentOutOfRangeException(nameof(topK), topK, "TokenGenerator: topK must be at least 1.");

        using var evaluating = model.Evaluating();
        using var noGrad = no_grad();
        using Generator? generator = seed is { } s ? new Generator(unchecked((ulong)s)) : null;
        using var cache = new KeyValueCache();
        Tensor tokens = prompt.clone().DetachFromDisposeScope(); // under no_grad: no autograd history to detach
        for (int n = 0; n < maxNewTokens; n++)
        {
            using var scope = NewDisposeScope();
            long length = tokens.shape[1];
            Tensor logits;
            if (useCache && length <= Context)
            {
                logits = Run(tokens.narrow(1, cache.Length, length - cache.Length), cache.Length, cache);
            }
            else
            {
                cache.Clear();
                long window = Math.Min(length, Context);
                logits = Run(tokens.narrow(1, length - window, window), 0, null);
            }
            Tensor next = Sample(logits.select(1, -1), temperature, topK, generator);
            Tensor longer = cat(new[] { tokens, next }, 1).MoveToOuterDisposeScope();
            tokens.Dispose();
            tokens = longer;
        }
        return tokens;
    }

    /// <summary>The logits <c>[B, n, V]</c> of n steps that follow <paramref name="offset"/> earlier ones.</summary>
    private Tensor Run(Tensor steps, long offset, KeyValueCache? cache)
    {
        Tensor x = steps;
        foreach (nn.Module<Tensor, Tensor> layer in layers)
        {
            x = layer switch
            {
                PositionalEncoding positions => positions.forward(x, offset),
                TransformerEncoder encoder => encoder.forward(x, null, cache),
                _ => layer.forward(x),
            };
        }
        return x;
    }

    /// <summary>One token per row from the last step's logits <c>[B, V]</c>.</summary>
    private static Tensor Sample(Tensor logits, double temperature, int? topK, Generator? generator)
    {
        if (temperature == 0) return logits.argmax(-1, keepdim: true);
        Tensor scaled = logits / temperature;
        if (topK is int k && k < scaled.shape[^1])
        {
            Tensor kth = scaled.topk(k).values.narrow(-1, k - 1, 1);
            scaled = scaled.masked_fill(scaled.lt(kth), double.NegativeInfinity);
        }
        return scaled.softmax(-1).multinomial(1, generator: generator);
    }

    private static IEnumerable<nn.Module<Tensor, Tensor>> Flatten(nn.Module<Tensor, Tensor> module)
        => module is Sequential sequential ? sequential.children().OfType<nn.Module<Tensor, Tensor>>().SelectMany(Flatten) : new[] { module };
}
