using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// One TorchSharp module of the generated class, fully decided by its layer rule: its child name (the state_dict key;
/// the rule gives the base name, the planner numbers repeats: dense1, dense2), its type and construction, its
/// initialization calls, and what the summary table and the comment above it show.
/// </summary>
internal sealed record PlannedLayer(
    string Name,
    string Display,
    string ModuleType,
    CallPlan Construction,
    EquatableArray<CallPlan> Init,
    string Comment,
    EquatableArray<long> OutputShape,
    long Parameters,
    string InitSummary)
{
    /// <summary>The layer attribute it came from (Dense for Dense's inline activation too: the attribute owns its options).</summary>
    public string Kind { get; init; } = "";

    /// <summary>
    /// The attribute as declared that planned it, whose options weight decay reads (its Group): the layer's own, or the
    /// [Residual] for the activation after a unit's sum, or the attribute a residual planner made for a projection.
    /// Set by <see cref="Planning.ModelPlanner.PlanLayer"/>; null only inside a rule.
    /// </summary>
    public AttributeDeclaration? Source { get; init; }

    /// <summary>What weight decay makes of its parameters: a weight layer's weights, or a norm's γ and β.</summary>
    public LayerRole Role { get; init; }

    /// <summary>True when WeightNoise can wrap it (ModelDsl.NoisyLinear wraps a Linear).</summary>
    public bool SupportsWeightNoise { get; init; }

    /// <summary>What the model's output is when this is its last layer (ensembles vote on probabilities, log-probabilities or logits).</summary>
    public OutputKind Output { get; init; }

    /// <summary>Its form in a vectorized ensemble; null when it has none.</summary>
    public VectorizedLayerPlan? Vectorized { get; init; }

    /// <summary>
    /// The parameters weight decay sees, relative to the layer (state_dict suffixes), for layers whose weights are not
    /// one <c>weight</c> and one <c>bias</c> (recurrent and attention layers); null for those that are.
    /// </summary>
    public DecayedParameters? Decayed { get; init; }

    /// <summary>The token input a first-layer Embedding declares; null for every other layer.</summary>
    public TokenInput? Tokens { get; init; }

    /// <summary>True when the generated forward passes the padding mask to this layer (an <c>IPaddingMaskedLayer</c>).</summary>
    public bool UsesPaddingMask { get; init; }

    /// <summary>
    /// The graph value (input or block member name) a cross-attention layer reads as its memory (an <c>ICrossAttentionLayer</c>,
    /// called with it and both padding masks); null for every other layer.
    /// </summary>
    public string? Memory { get; init; }

    /// <summary>
    /// True when the layer's backward reads its input and weights but never its output (convolutions, Dense, BatchNorm), so
    /// an activation right after it in the same chain may overwrite that output (<see cref="InPlaceConstruction"/>).
    /// </summary>
    public bool OutputOverwritable { get; init; }

    /// <summary>
    /// The construction that computes the layer in place, overwriting its input, or null for a layer that never does: ReLU
    /// and ReLU6, whose backward reads their output only (PyTorch's <c>inplace=True</c>, as torchvision builds them). The
    /// planner takes it where the layer before it in the same chain is <see cref="OutputOverwritable"/> (InPlaceActivations).
    /// </summary>
    public CallPlan? InPlaceConstruction { get; init; }

    /// <summary>
    /// A max pool (<c>MaxPool2d</c>): an activation that <see cref="CommutesWithMaxPool"/> may run after it instead of before.
    /// </summary>
    public bool PoolsByMaximum { get; init; }

    /// <summary>
    /// An activation f that is non-decreasing and exact where it is flat (ReLU, ReLU6): max(f(a), f(b)) = f(max(a, b)), and
    /// since f' is 0 wherever f makes two inputs equal, pooling first sends every gradient where pooling after did. The
    /// planner runs it after a max pool that follows it (ActivationsAfterPooling).
    /// </summary>
    public bool CommutesWithMaxPool { get; init; }

    /// <summary>
    /// Set by the planner on an activation that <see cref="CommutesWithMaxPool"/> right before a max pool in a class-level
    /// chain: the forward runs the pool first and this activation on its output, a quarter of the elements for a 2×2 pool,
    /// with the same values and gradients. The summary and the module order stay as declared.
    /// </summary>
    public bool RunsAfterNext { get; init; }

    /// <summary>
    /// A max pool over 2×2 windows at stride 2 without padding (ceil mode only on even sides): its runtime kernel can
    /// compute a batch norm right before it inside its own pass (<c>MaxPooling2D.ForwardAfter</c>).
    /// </summary>
    public bool PoolsBatchNormInside { get; init; }

    /// <summary>A batch norm over images [B, C, H, W], which a pool that <see cref="PoolsBatchNormInside"/> can compute.</summary>
    public bool NormalizesImages { get; init; }

    /// <summary>
    /// Set by the planner on a batch norm that <see cref="NormalizesImages"/> when the next layer its class-level chain's
    /// forward runs is a pool that <see cref="PoolsBatchNormInside"/>: the forward then calls
    /// <c>pool.ForwardAfter(batchnorm, x)</c>, which never writes the normalized image. The modules and summary stay as declared.
    /// </summary>
    public bool RunsInsideNextPool { get; init; }

    /// <summary>
    /// An activation that is exactly max(0, x) (ReLU): a pool that computes a batch norm inside its kernel can apply it to
    /// its output too (<c>pool.ForwardAfter(batchnorm, x, applyReLU: true)</c>).
    /// </summary>
    public bool RectifiesAtZero { get; init; }

    /// <summary>
    /// Set by the planner on an activation that <see cref="RectifiesAtZero"/> when the forward runs it right after a pool
    /// that computes the batch norm before it (<see cref="RunsInsideNextPool"/>): the pool's kernel then rectifies its
    /// output as well, and the forward does not call this module. The modules and summary stay as declared.
    /// </summary>
    public bool RunsInsidePreviousPool { get; init; }

    /// <summary>
    /// A 3×3 convolution of a one-channel image, stride 1, padding 1, one group, no dilation and no bias (a grayscale
    /// input's first layer): the batch norm + pool kernel can compute it too (<c>MaxPooling2D.ForwardAfter(batchnorm, conv, …)</c>).
    /// </summary>
    public bool ConvolvesOneChannelThreeByThree { get; init; }

    /// <summary>
    /// Set by the planner on a convolution that <see cref="ConvolvesOneChannelThreeByThree"/> when the next layer is a
    /// batch norm that <see cref="RunsInsideNextPool"/>: where the model switches to channels-last right after this
    /// convolution, the forward calls <c>pool.ForwardAfter(batchnorm, conv, x, this)</c>, which never writes the
    /// convolution's output where the runtime's kernel applies. The modules and summary stay as declared.
    /// </summary>
    public bool RunsInsidePoolAfterNext { get; init; }

    /// <summary>An image layer that libtorch runs faster on channels-last (NHWC) activations (2-D convolution and pooling).</summary>
    public bool PrefersChannelsLast { get; init; }

    /// <summary>
    /// True when the runtime can compute the layer's output straight into channels-last memory (2-D convolution): the
    /// forward calls <c>ChannelsLast.FromLayer</c> where the model switches layouts right after it (so the switch copies
    /// nothing) and <c>ChannelsLast.Convolve</c> after the switch (one product per block of images at eval).
    /// </summary>
    public bool WritesChannelsLast { get; init; }

    /// <summary>For attention across steps: true when each step reads itself and earlier steps only (causal), false when it reads later ones too; null for every other layer.</summary>
    public bool? Causal { get; init; }

    /// <summary>True when the attribute's Name gave the child name: the planner does not number it.</summary>
    public bool NamedByUser { get; init; }

    /// <summary>A norm's learnable γ as a member of its module (<c>Weight</c>, <c>weight</c>); null for other layers and norms without γ.</summary>
    public string? Gamma { get; init; }

    /// <summary>
    /// Its state_dict tensors relative to the layer (<c>weight</c>, <c>running_mean</c>), in the module's order; empty for
    /// a module without any. Planned by its rule for checks only (a safetensors header against the declaration), never emitted.
    /// </summary>
    public EquatableArray<PlannedTensor> Tensors { get; init; } = EquatableArray<PlannedTensor>.Empty;

    /// <summary>A parameter-free module that keeps the shape (activations, dropout, noise).</summary>
    public static PlannedLayer Simple(string name, string display, string moduleType, CallPlan construction, EquatableArray<long> shape, string comment)
        => new(name, display, moduleType, construction, EquatableArray<CallPlan>.Empty, comment, shape, 0, "");
}

/// <summary>
/// A layer's part in weight decay: none, weights (decayed by its group), normalization (γ, β with IncludeNorm), or an
/// embedding table (with IncludeEmbedding).
/// </summary>
internal enum LayerRole { None, Weights, Normalization, Embedding }

/// <summary>A layer's weights, biases and inner norm parameters by state_dict suffix (<c>rnn.weight_ih_l0</c>).</summary>
internal sealed record DecayedParameters(EquatableArray<string> Weights, EquatableArray<string> Biases, EquatableArray<string> Norms);

/// <summary>A model whose input is Int64 token ids [B, T]: the vocabulary V and the padding id, if any.</summary>
internal sealed record TokenInput(long Vocabulary, long? PaddingIndex);

/// <summary>What a final layer makes of the model's output.</summary>
internal enum OutputKind { Logits, Probabilities, LogProbabilities, Bounded }
