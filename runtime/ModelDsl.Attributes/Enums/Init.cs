namespace ModelDsl;

/// <summary>
/// Weight initialization schemes (chapter 5.1). Written with <c>using static ModelDsl.Init;</c> as <c>Init = He</c>.
/// Parameters of a scheme are separate named arguments, because attribute arguments must be constants:
/// <c>Init = Normal, InitStd = 0.01</c>, <c>Init = Constant, InitValue = 0.1</c>, <c>Init = Uniform, InitLow = -0.05, InitHigh = 0.05</c>.
/// </summary>
public enum Init
{
    /// <summary>TorchSharp's own default for the layer (Linear/Conv: U(−1/√fan_in, 1/√fan_in)).</summary>
    Default,
    /// <summary>All zeros. Breaks symmetry never: every unit learns the same thing (5.1.1).</summary>
    Zeros,
    /// <summary>A constant <c>InitValue</c>. Same symmetry problem as zeros (5.1.1).</summary>
    Constant,
    /// <summary>N(<c>InitMean</c>, <c>InitStd</c>²): note <c>InitStd</c> is the standard deviation, not the variance.</summary>
    Normal,
    /// <summary>U(<c>InitLow</c>, <c>InitHigh</c>).</summary>
    Uniform,
    /// <summary>Glorot/Xavier normal: Var(w) = gain²·2/(fan_in + fan_out) (5.1.3). Equals the chapter's 1/n only when fan_in = fan_out.</summary>
    Xavier,
    /// <summary>Glorot/Xavier uniform: U(−a, a), a = gain·√(6/(fan_in + fan_out)).</summary>
    XavierUniform,
    /// <summary>He/Kaiming normal: Var(w) = 2/fan (2/((1+a²)·fan) when a LeakyReLU(a) follows) (5.1.4).</summary>
    He,
    /// <summary>He/Kaiming uniform: U(−b, b), b = √3·std of <see cref="He"/>.</summary>
    HeUniform,
    /// <summary>LeCun normal: Var(w) = 1/fan_in.</summary>
    LeCun,
    /// <summary>A (semi-)orthogonal matrix scaled by <c>InitGain</c>: W·Wᵀ = gain²·I.</summary>
    Orthogonal,
}
