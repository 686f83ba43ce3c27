using System.Globalization;

namespace ModelDsl;

/// <summary>
/// What <see cref="NumericsCheck.Run"/> measured: known-answer checks of the libtorch kernels that have computed wrong
/// results on some CPUs, each against the same computation in float64 (which libtorch runs without oneDNN).
/// </summary>
/// <param name="OneDnnEnabled">Whether oneDNN was on while the checks ran.</param>
/// <param name="RecurrentMaxError">Largest |float32 − float64| over the stacked recurrent outputs (LSTM after LSTM, GRU(2 layers) after tanh into LSTM).</param>
/// <param name="ConvolutionCalls">How many convolution forward + backward calls ran (conv2d and conv_transpose2d, 6–10 channels, 4×4 and 8×8 maps).</param>
/// <param name="ConvolutionNonFinite">How many of those calls returned a NaN or infinite output or gradient.</param>
/// <param name="ConvolutionMaxError">Largest |float32 − float64| over the finite outputs and gradients, relative to the gradient's scale.</param>
/// <param name="MatrixProductMaxError">Largest |libtorch − exact| over float32 and float64 products of small-integer matrices, which any correct kernel computes exactly: 0 when right.</param>
public sealed record NumericsReport(bool OneDnnEnabled, double RecurrentMaxError, int ConvolutionCalls, int ConvolutionNonFinite, double ConvolutionMaxError, double MatrixProductMaxError)
{
    /// <summary>
    /// Largest float32 error accepted. Float32 rounding in these small networks stays below 1e-6 (measured 4e-8 on
    /// correct CPUs); the faults seen on AVX-512 machines are 0.15–0.24, so 1e-4 separates them with room on both sides.
    /// </summary>
    public const double Tolerance = 1e-4;

    /// <summary>Stacked recurrent layers agree with float64.</summary>
    public bool RecurrentCorrect => RecurrentMaxError <= Tolerance;

    /// <summary>Every convolution call was finite and agreed with float64.</summary>
    public bool ConvolutionCorrect => ConvolutionNonFinite == 0 && ConvolutionMaxError <= Tolerance;

    /// <summary>Every matrix product was exact.</summary>
    public bool MatrixProductCorrect => MatrixProductMaxError == 0;

    /// <summary>Every check passed.</summary>
    public bool Correct => RecurrentCorrect && ConvolutionCorrect && MatrixProductCorrect;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"oneDNN {(OneDnnEnabled ? "on" : "off")}: stacked recurrent max error {RecurrentMaxError:g3}, "
        + $"convolution {ConvolutionNonFinite} non-finite of {ConvolutionCalls} calls, max error {ConvolutionMaxError:g3}, "
        + $"matrix products max error {MatrixProductMaxError:g3}");
}
