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

    /// <summary>
    /// Writes a float64 model as a float32 graph: every weight, constant, the input and the output are float32 (weights
    /// rounded to the nearest float32), so the file runs wherever float32 ONNX runs. Without it a float64 model is written
    /// as a float64 graph, and refused (<see cref="OnnxExportException"/>, naming the op) when it holds an op ONNX Runtime
    /// has no float64 kernel for (<see cref="OnnxExport.OpsWithoutFloat64Kernel"/>), since ORT could not load the file.
    /// The model itself is not changed. Off by default; no effect on a float32 model.
    /// </summary>
    public bool Float64AsFloat32 { get; init; }
}
