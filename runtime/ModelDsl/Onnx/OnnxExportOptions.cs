namespace ModelDsl.Onnx;

/// <summary>Options of <see cref="OnnxExport"/>.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>
    /// Folds each eval-mode batch norm into the Dense or Conv2d layer right before it (nothing in between): with
    /// s = γ/√(running_var + ε), the layer's weight rows are scaled by s and its bias becomes (b − running_mean)·s + β
    /// (Ioffe and Szegedy 2015, §3.2: in inference BN is a fixed affine map). One node less per pair; the outputs equal
    /// the unfolded graph's up to float rounding. Off by default, so the file mirrors the declaration layer by layer.
    /// </summary>
    public bool FoldBatchNorm { get; init; }

    /// <summary>
    /// Before writing, ModelDsl runs the model's own forward and the chain of layers it exports on a probe batch
    /// (eval mode, no gradients) and refuses to write a graph that differs: a hand-written forward that is not the
    /// chain of the declared layers cannot be exported silently wrong. On by default.
    /// </summary>
    public bool VerifyForward { get; init; } = true;
}
