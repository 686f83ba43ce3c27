namespace ModelDsl;

/// <summary>
/// The arithmetic oneDNN may use inside a float32 operation: libtorch's <c>at::Float32Precision</c>, PyTorch's
/// <c>torch.backends.mkldnn.&lt;op&gt;.fp32_precision</c> values <c>"ieee"</c> and <c>"bf16"</c>. Inputs, outputs and
/// stored tensors stay float32 either way; only the products inside the kernel change.
/// </summary>
public enum Float32Precision
{
    /// <summary>Float32 products and sums (libtorch's default).</summary>
    Ieee,

    /// <summary>
    /// oneDNN may round the operands to bfloat16 (8 significant bits, about 3 decimal digits) and add the products in
    /// float32: oneDNN's floating-point math mode <c>bf16</c>. It is allowed, not told, to: it picks a kernel per
    /// operation and pass, and only a bfloat16 kernel rounds. On a Xeon with AMX-BF16 the 3×3 convolutions' forward and
    /// input-gradient passes took one and most weight-gradient passes stayed float32; on a CPU without
    /// bfloat16 instructions nothing changes. Each product then differs from float32's by at most about 2⁻⁸ of |a||b|.
    /// </summary>
    Bf16,
}
