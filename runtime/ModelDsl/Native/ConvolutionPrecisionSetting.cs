using System;

namespace ModelDsl;

/// <summary>
/// The process setting <c>MODELDSL_CONV_PRECISION</c>: <c>bf16</c> lets oneDNN multiply convolutions in bfloat16
/// (<see cref="LibTorchBackends.SetFloat32Precision"/> for <see cref="Float32Op.Conv"/>), <c>ieee</c> or unset leaves float32.
/// Applied once by <see cref="TorchNative.EnsureLoaded"/>, after the numerics check, so a program can opt in without code.
/// </summary>
internal static class ConvolutionPrecisionSetting
{
    public const string Variable = "MODELDSL_CONV_PRECISION";

    /// <summary>Applies the variable's value; says on standard error when the value is not one it knows or cannot apply.</summary>
    public static void Apply()
    {
        string? value = Environment.GetEnvironmentVariable(Variable);
        Float32Precision? precision = Parse(value);
        if (precision is null)
        {
            if (!string.IsNullOrEmpty(value))
                Console.Error.WriteLine($"ModelDsl: {Variable}={value} is not a precision ModelDsl knows (bf16 or ieee); convolutions stay float32.");
            return;
        }
        if (!LibTorchBackends.IsFloat32PrecisionSwitchable)
        {
            Console.Error.WriteLine($"ModelDsl: {Variable}={value} ignored: this platform's libtorch does not export its float32 precision switch.");
            return;
        }
        LibTorchBackends.SetFloat32Precision(Float32Op.Conv, precision.Value);
    }

    /// <summary>bf16 and ieee, in any case, as PyTorch spells them; null for anything else.</summary>
    internal static Float32Precision? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "bf16" => Float32Precision.Bf16,
        "ieee" => Float32Precision.Ieee,
        _ => null,
    };
}
