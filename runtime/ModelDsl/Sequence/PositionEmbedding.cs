using System;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Adds a learned position embedding <c>pos_embedding</c> [1, T, D] to [B, T, D] (ViT, Dosovitskiy et al. 2021, as
/// torchvision's encoder), drawn from N(0, 0.02²) with <c>generator</c> when one is given.
/// </summary>
public sealed partial class PositionEmbedding : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // torchvision's parameter name, the state_dict key
    /// <summary>The embedding, [1, T, D].</summary>
    public readonly Parameter pos_embedding;
#pragma warning restore IDE1006

    /// <param name="steps">T.</param>
    /// <param name="dimension">D.</param>
    /// <param name="generator">Seeded draws for the init; null uses the global generator.</param>
    /// <param name="dtype">Parameter type (float32 when null).</param>
    public PositionEmbedding(long steps, long dimension, Generator? generator = null, ScalarType? dtype = null) : base(nameof(PositionEmbedding))
    {
        if (steps < 1 || dimension < 1) throw new ArgumentOutOfRangeException(nameof(steps), $"PositionEmbedding needs positive sizes, not [{steps}, {dimension}]");
        Steps = steps;
        Dimension = dimension;
        pos_embedding = new Parameter(empty(new[] { 1L, steps, dimension }, dtype ?? ScalarType.Float32));
        if (!SkipInitialization.IsActive)
            using (no_grad()) pos_embedding.normal_(0, 0.02, generator);
        RegisterComponents();
    }

    /// <summary>T.</summary>
    public long Steps { get; }

    /// <summary>D.</summary>
    public long Dimension { get; }

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">The input is not [B, T, D].</exception>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 3 || input.shape[1] != Steps || input.shape[2] != Dimension)
            throw new ShapeMismatchException(nameof(PositionEmbedding), $"[B, {Steps}, {Dimension}]", ShapeMismatchException.Format(input.shape));
        return input + pos_embedding;
    }
}
