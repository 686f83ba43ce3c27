using System;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// The initialization schemes of chapter 5.1, each drawing from an optional seeded <see cref="Generator"/>.
/// Fans and gains come from TorchSharp (<c>nn.init.CalculateFanInAndFanOut</c>); draws use the tensor methods
/// <c>normal_</c>/<c>uniform_</c>, because in TorchSharp 0.107 the <c>nn.init</c> functions either ignore their
/// generator (<c>normal_</c>, <c>uniform_</c>, <c>kaiming_*</c>, <c>orthogonal_</c>) or draw the wrong distribution
/// (<c>xavier_normal_</c> draws uniform numbers). A null generator draws from TorchSharp's global one.
/// Inside a <see cref="SkipInitialization"/> scope every method that writes a tensor returns at once and leaves it as it is.
/// </summary>
public static class Initializers
{
    /// <summary>All zeros.</summary>
    public static void Zeros(Tensor tensor)
    {
        if (SkipInitialization.IsActive) return;
        using var _ = no_grad();
        nn.init.zeros_(tensor);
    }

    /// <summary>Every element equal to <paramref name="value"/>.</summary>
    public static void Constant(Tensor tensor, double value)
    {
        if (SkipInitialization.IsActive) return;
        using var _ = no_grad();
        nn.init.constant_(tensor, value);
    }

    /// <summary>Sets row <paramref name="row"/> of <paramref name="weight"/> to zero: an embedding's padding row (PyTorch's padding_idx init).</summary>
    public static void ZeroRow(Tensor weight, long row)
    {
        if (SkipInitialization.IsActive) return;
        using var _ = no_grad();
        using Tensor selected = weight[row];
        selected.zero_();
    }

    /// <summary>N(mean, std²).</summary>
    public static void Normal(Tensor tensor, double mean, double std, Generator? generator)
    {
        if (SkipInitialization.IsActive) return;
        using var _ = no_grad();
        tensor.normal_(mean, std, generator);
    }

    /// <summary>U(low, high).</summary>
    public static void Uniform(Tensor tensor, double low, double high, Generator? generator)
    {
        if (SkipInitialization.IsActive) return;
        using var _ = no_grad();
        tensor.uniform_(low, high, generator);
    }

    /// <summary>Glorot normal: std = gain·√(2/(fan_in + fan_out)).</summary>
    public static void XavierNormal(Tensor tensor, double gain, Generator? generator)
    {
        if (SkipInitialization.IsActive) return;
        var (fanIn, fanOut) = nn.init.CalculateFanInAndFanOut(tensor);
        Normal(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
    }

    /// <summary>Glorot uniform: U(−a, a) with a = gain·√(6/(fan_in + fan_out)).</summary>
    public static void XavierUniform(Tensor tensor, double gain, Generator? generator)
    {
        if (SkipInitialization.IsActive) return;
        var (fanIn, fanOut) = nn.init.CalculateFanInAndFanOut(tensor);
        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        Uniform(tensor, -bound, bound, generator);
    }

    /// <summary>He/Kaiming normal: std = gain/√fan (gain √2 for ReLU, √(2/(1+a²)) for LeakyReLU(a)).</summary>
    public static void HeNormal(Tensor tensor, double gain, FanMode mode, Generator? generator)
        => Normal(tensor, 0, gain / Math.Sqrt(Fan(tensor, mode)), generator);

    /// <summary>He/Kaiming uniform: U(−b, b) with b = √3·gain/√fan.</summary>
    public static void HeUniform(Tensor tensor, double gain, FanMode mode, Generator? generator)
    {
        if (SkipInitialization.IsActive) return;
        double bound = Math.Sqrt(3.0) * gain / Math.Sqrt(Fan(tensor, mode));
        Uniform(tensor, -bound, bound, generator);
    }

    /// <summary>LeCun normal: std = gain/√fan (gain 1: Var(w) = 1/fan_in).</summary>
    public static void LeCunNormal(Tensor tensor, double gain, FanMode mode, Generator? generator)
        => HeNormal(tensor, gain, mode, generator);

    /// <summary>
    /// A (semi-)orthogonal matrix times <paramref name="gain"/>, by QR of a Gaussian matrix with the signs of R's
    /// diagonal folded into Q (Saxe et al. 2013; the same construction as PyTorch's <c>orthogonal_</c>).
    /// Written here because TorchSharp's <c>orthogonal_</c> takes no generator.
    /// </summary>
    public static void Orthogonal(Tensor tensor, double gain, Generator? generator)
    {
        if (SkipInitialization.IsActive) return;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long rows = tensor.shape[0];
        long cols = tensor.numel() / rows;
        Tensor flat = empty(rows, cols, dtype: ScalarType.Float64).normal_(0, 1, generator);
        if (rows < cols) flat = flat.t();
        var (q, r) = linalg.qr(flat);
        q = q * r.diagonal().sign();
        if (rows < cols) q = q.t();
        tensor.copy_((q * gain).reshape(tensor.shape).to(tensor.dtype));
    }

    /// <summary>
    /// TorchSharp's (and PyTorch's) default for Linear and Conv: kaiming_uniform with a = √5, i.e. weight and
    /// bias both U(−1/√fan_in, 1/√fan_in). Redrawn here so a model seed covers layers left at their default.
    /// </summary>
    public static void TorchDefault(Tensor weight, Tensor? bias, Generator? generator)
    {
        if (SkipInitialization.IsActive) return;
        double bound = 1.0 / Math.Sqrt(Fan(weight, FanMode.FanIn));
        Uniform(weight, -bound, bound, generator);
        if (bias is not null) Uniform(bias, -bound, bound, generator);
    }

    /// <summary>
    /// Multiplies the tensor in place by <paramref name="factor"/>: Fixup's branch scaling L^(−1/(2m−2)) on top of a
    /// layer's own init (Zhang, Dauphin and Ma 2019, §3 rule 2).
    /// </summary>
    public static void Scale(Tensor tensor, double factor)
    {
        if (SkipInitialization.IsActive) return;
        using var _ = no_grad();
        tensor.mul_(factor);
    }

    /// <summary>fan_in = in·receptive field, fan_out = out·receptive field (a convolution's kernel area counts).</summary>
    public static long Fan(Tensor tensor, FanMode mode)
    {
        var (fanIn, fanOut) = nn.init.CalculateFanInAndFanOut(tensor);
        return mode == FanMode.FanIn ? fanIn : fanOut;
    }
}
