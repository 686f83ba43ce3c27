namespace ModelDsl.Generator.Planning;

/// <summary>
/// What the planners need to know about a layer kind before it is planned, declared by its rule (Mapperly's mapping
/// builders): whether it is an activation and how He and Xavier treat it, and whether the search for the activation
/// after a weight layer looks through it. What a planned layer is (weights, norm, output kind, vectorized form) is on
/// <see cref="Model.PlannedLayer"/>, also set by the rule.
/// </summary>
internal sealed record LayerTraits
{
    public static readonly LayerTraits None = new();

    /// <summary>Transparent layers act per unit and keep what an activation after them sees (norms, dropout, noise, pooling).</summary>
    public static readonly LayerTraits Transparent = new() { TransparentToInitSearch = true };

    /// <summary>Transparent and an affine map at inference (batch norm with running statistics, dropout, noise, average pooling).</summary>
    public static readonly LayerTraits AffineTransparent = new() { TransparentToInitSearch = true, AffineAtInference = true };

    /// <summary>An affine map at inference that is not per unit (flatten, global average pooling, positional encoding).</summary>
    public static readonly LayerTraits Affine = new() { AffineAtInference = true };

    /// <summary>A weight layer (Dense, Conv2d, PatchEmbedding).</summary>
    public static readonly LayerTraits Weights = new() { WeightLayer = true };

    /// <summary>A weight layer whose module is one <c>weight</c> and an optional <c>bias</c> (Dense, Conv2d): residual branch inits zero and scale them.</summary>
    public static readonly LayerTraits PlainWeights = new() { WeightLayer = true, PlainWeightTensors = true };

    /// <summary>Non-null for an activation: how the init-gain rules treat it.</summary>
    public ActivationGain? Activation { get; init; }

    /// <summary>The init-gain search (the activation that follows a weight layer) looks through this layer.</summary>
    public bool TransparentToInitSearch { get; init; }

    /// <summary>Its module holds one <c>weight</c> and an optional <c>bias</c> that ModelDsl's initializers can zero or scale in place.</summary>
    public bool PlainWeightTensors { get; init; }

    /// <summary>
    /// Its Stride downsamples: a [Residual] block repeated n times keeps it in the first unit only (ResNet's conv3_1 strides,
    /// conv3_2 does not).
    /// </summary>
    public bool StridedInFirstUnitOnly { get; init; }

    /// <summary>A layer whose weights map its input affinely (Dense, Conv2d, PatchEmbedding): MD0018 asks for a nonlinearity between two.</summary>
    public bool WeightLayer { get; init; }

    /// <summary>An affine map at inference, which MD0018 looks through between two weight layers.</summary>
    public bool AffineAtInference { get; init; }

    /// <summary>
    /// Keeps the T steps of a sequence in place, each step's output at its own position (positional encoding, attention):
    /// a padding mask stays valid through it. Activations and transparent layers keep steps too.
    /// </summary>
    public bool KeepsSteps { get; init; }

    /// <summary>Its module is the model's token table (Embedding), which a Dense with TiedToEmbedding shares.</summary>
    public bool TokenTable { get; init; }

    /// <summary>On a sequence it maps each step on its own (Dense on [T, F], Embedding), whatever the length.</summary>
    public bool PerStep { get; init; }

    /// <summary>Softmax-like: normalizes over classes, belongs at the end of the model (MD0009).</summary>
    public bool OutputOnly { get; init; }
}

/// <summary>How He and Xavier initialization treat an activation (chapter 5.1.3–5.1.4).</summary>
internal enum ActivationGain
{
    /// <summary>ReLU-like (ReLU, LeakyReLU, ELU): He gain √(2/(1+a²)) with the negative slope a; Xavier before it is MD0012.</summary>
    Rectifier,
    /// <summary>Smooth ReLU-like (GELU, SiLU): He gain √2; no closed-form gain of its own, so Xavier is left unwarned.</summary>
    SmoothRectifier,
    /// <summary>Saturating (Tanh, Sigmoid): He before it is MD0011.</summary>
    Saturating,
    /// <summary>Softmax, LogSoftmax: no gain rule.</summary>
    Output,
}
