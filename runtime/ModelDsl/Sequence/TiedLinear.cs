using System;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// The output projection of a language model that shares the token embedding's weight (Press &amp; Wolf 2017, "Using the
/// Output Embedding to Improve Language Models"; GPT-2's <c>lm_head</c>): logits = x·Eᵀ + b with E the embedding's
/// <c>[V, D]</c> table, <c>[B, T, D]</c> → <c>[B, T, V]</c>. It holds no weight of its own, only the optional bias: the
/// table is read from the embedding at every call, so the two stay one tensor through training, <c>to(dtype/device)</c>,
/// checkpoints and weight files, and the parameters are counted and optimized once. Written by hand because assigning
/// one Parameter to two TorchSharp modules does not survive <c>to()</c> (each module gets its own copy) and puts the
/// tensor twice in <c>parameters()</c> (an optimizer would step it twice).
/// </summary>
public sealed partial class TiedLinear : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // PyTorch's name, the state_dict key
    private readonly Parameter? bias;
#pragma warning restore IDE1006
    private Func<Embedding>? embedding; // a delegate, so TorchSharp does not register the embedding as a child here

    /// <param name="inFeatures">D, the embedding width.</param>
    /// <param name="outFeatures">V, the vocabulary.</param>
    /// <param name="hasBias">A bias [V] of its own, starting at 0.</param>
    /// <param name="dtype">The bias's type (float32 when null).</param>
    public TiedLinear(long inFeatures, long outFeatures, bool hasBias = false, ScalarType? dtype = null) : base(nameof(TiedLinear))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        if (hasBias) bias = new Parameter(zeros(outFeatures, dtype ?? ScalarType.Float32));
        RegisterComponents();
    }

    /// <summary>D.</summary>
    public long InFeatures { get; }

    /// <summary>V.</summary>
    public long OutFeatures { get; }

    /// <summary>The bias [V], or null.</summary>
    public Parameter? Bias => bias;

    /// <summary>The shared table [V, D] (the embedding's live weight); null before <see cref="Tie"/>.</summary>
    public Tensor? Weight => embedding?.Invoke().weight;

    /// <summary>The embedding whose table this layer reads; null before <see cref="Tie"/>.</summary>
    public Embedding? TiedTo => embedding?.Invoke();

    /// <summary>Reads <paramref name="embedding"/>'s table from now on.</summary>
    /// <exception cref="ArgumentException">The table is not [V, D] of this layer.</exception>
    public void Tie(Embedding embedding)
    {
        long[] shape = embedding.weight!.shape;
        if (shape.Length != 2 || shape[0] != OutFeatures || shape[1] != InFeatures)
            throw new ArgumentException($"TiedLinear: a {InFeatures} → {OutFeatures} projection reads a [{OutFeatures}, {InFeatures}] table, but the embedding's is {ShapeMismatchException.Format(shape)}.", nameof(embedding));
        this.embedding = () => embedding;
    }

    /// <summary>Ties every <see cref="TiedLinear"/> in <paramref name="model"/> to its one <see cref="Embedding"/> (a generated model's constructor calls this).</summary>
    /// <exception cref="InvalidOperationException">The model has no Embedding, or more than one.</exception>
    public static void TieAll(nn.Module model)
    {
        var embeddings = model.modules().OfType<Embedding>().ToList();
        if (embeddings.Count != 1)
            throw new InvalidOperationException($"TiedLinear: {model.GetName()} has {embeddings.Count} Embedding modules; tying needs exactly one token embedding.");
        foreach (TiedLinear layer in model.modules().OfType<TiedLinear>()) layer.Tie(embeddings[0]);
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Not tied to an embedding yet.</exception>
    public override Tensor forward(Tensor input)
    {
        Tensor table = Weight ?? throw new InvalidOperationException("TiedLinear: not tied to an embedding; call Tie(embedding) or TiedLinear.TieAll(model) first.");
        return nn.functional.linear(input, table, bias);
    }
}
