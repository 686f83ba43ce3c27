namespace ModelDsl;

/// <summary>A fully connected layer (TorchSharp <c>nn.Linear</c>): y = x·Wᵀ + b.</summary>
public sealed class DenseAttribute : ParametrizedLayerAttribute
{
    /// <summary>Declares a dense layer with <paramref name="units"/> outputs.</summary>
    public DenseAttribute(int units) => Units = units;

    /// <summary>Number of output units.</summary>
    public int Units { get; }

    /// <summary>Activation applied right after the layer (a shorthand for an activation attribute).</summary>
    public Activation Activation { get; set; }

    /// <summary>Whether the layer has a bias (default true).</summary>
    public bool Bias { get; set; } = true;

    /// <summary>
    /// Weight tying (Press &amp; Wolf 2017; GPT-2's lm_head): the layer uses the model's token embedding table E [V, D] as
    /// its weight, logits = x·Eᵀ (+ bias), so the two are one parameter, counted and optimized once. Units must be V and
    /// the input width D, and the model's first layer the <c>[Embedding]</c> (MD0069). Init options do not apply (the
    /// embedding's rows are the weight); a bias starts at 0. Not with WeightNoise or MaxNorm.
    /// </summary>
    public bool TiedToEmbedding { get; set; }
}
