namespace ModelDsl;

/// <summary>
/// Dropout (5.8). Say it either way, exactly once: <c>Dropout(0.5)</c> is the <b>drop</b> rate (PyTorch/Keras),
/// <c>Dropout(Keep = 0.8)</c> the chapter's <b>keep</b> probability p. Recommended: keep 0.8 on inputs, 0.5 on hidden units.
/// </summary>
public sealed class DropoutAttribute : LayerAttribute
{
    /// <summary>Declares dropout whose keep probability is given by <see cref="Keep"/>.</summary>
    public DropoutAttribute() { }

    /// <summary>Declares dropout with drop probability <paramref name="rate"/> in [0, 1).</summary>
    public DropoutAttribute(double rate) => Rate = rate;

    /// <summary>Probability of dropping a unit, in [0, 1).</summary>
    public double Rate { get; }

    /// <summary>Probability of keeping a unit, in (0, 1] (the chapter's p). Keep = 1 − rate.</summary>
    public double Keep { get; set; }

    /// <summary>Inverted (default) or the weight-scaling inference rule.</summary>
    public DropoutMode Mode { get; set; }
}
