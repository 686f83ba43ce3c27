namespace ModelDsl.Weights;

/// <summary>One tensor present in both the file and the model whose shape or dtype differs.</summary>
/// <param name="Key">The state_dict name, e.g. <c>dense1.weight</c>.</param>
/// <param name="InFile">The file's shape (<c>[3, 16]</c>) or dtype (<c>Float16</c>).</param>
/// <param name="InModel">The model's shape or dtype.</param>
public sealed record TensorMismatch(string Key, string InFile, string InModel)
{
    /// <summary><c>key: file X, model Y</c>.</summary>
    public override string ToString() => $"{Key}: file {InFile}, model {InModel}";
}
