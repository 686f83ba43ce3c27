namespace ModelDsl.Weights;

/// <summary>How <see cref="ModuleWeights.LoadWeights"/> treats a file that does not fit the model exactly.</summary>
public sealed record WeightsLoadOptions
{
    /// <summary>
    /// True (default): any mismatch throws <see cref="WeightsMismatchException"/> before a tensor changes, like PyTorch's
    /// <c>load_state_dict(strict=True)</c> (which also checks shapes). False: the tensors that fit are loaded, the rest
    /// are left as they are, and the returned <see cref="WeightsLoadReport"/> lists what was not loaded.
    /// </summary>
    public bool Strict { get; init; } = true;

    /// <summary>
    /// True: a floating-point tensor of another floating-point dtype (a float16 or bfloat16 file into a float32 model, or
    /// the reverse) is converted to the model's dtype. False (default): such a tensor is a dtype mismatch, never converted
    /// silently. Integer and boolean tensors are never converted.
    /// </summary>
    public bool ConvertFloatingDtypes { get; init; }
}
