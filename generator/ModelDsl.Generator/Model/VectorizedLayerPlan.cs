namespace ModelDsl.Generator.Model;

/// <summary>How a planned layer runs in a vectorized ensemble (ModelDsl.VectorizedLayer); null on a layer that cannot.</summary>
internal enum VectorizedForm { Dense, Activation, Dropout, WeightScalingDropout, LayerNorm }

/// <summary>
/// One layer of the stacked form, as data: <see cref="Width"/> is its input width; Dense has <see cref="Units"/> and
/// <see cref="Bias"/>; an activation its ModelDsl.VectorizedLayerKind member name in <see cref="Activation"/> and its
/// slope in <see cref="Value"/> (LeakyReLU); dropout its rate or keep in <see cref="Value"/>; LayerNorm its eps in
/// <see cref="Value"/> and <see cref="Bias"/> for affine.
/// </summary>
internal sealed record VectorizedLayerPlan(VectorizedForm Form, long Width, long Units, bool Bias, string? Activation, double Value);
