namespace ModelDsl.Generator.Planning;

/// <summary>
/// One row of the architecture table. <paramref name="Key"/> is the dotted name the row belongs to (<c>layer1.0.conv1</c>;
/// null for an input), which Summary(depth) folds by; <paramref name="Layer"/> is what a layer row shows after its name
/// (<c>Conv2d(64, 7)</c>), null for an input, a join (<c>head ← concatenate(a, b)</c>) or an identity shortcut.
/// </summary>
internal sealed record SummaryRow(string? Key, string Label, string Output, long Parameters, string Init, string Decay, string? Layer)
{
    public bool IsLayer => Layer is not null;
}
