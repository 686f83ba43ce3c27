namespace ModelDsl;

/// <summary>A model with weight constraints (<c>MaxNorm = c</c> on a layer), applied after each optimizer step.</summary>
public interface IConstrainedModel
{
    /// <summary>Projects the constrained weights back into their allowed sets (in place, without gradients).</summary>
    void ApplyConstraints();
}
