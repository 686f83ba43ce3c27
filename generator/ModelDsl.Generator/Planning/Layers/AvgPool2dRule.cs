namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[AvgPool2d(k, Stride)] → nn.AvgPool2d; stride defaults to the kernel size.</summary>
internal sealed class AvgPool2dRule : Pool2dRule
{
    public override string Name => "AvgPool2d";

    protected override string Module => "AvgPool2d";

    protected override string Describe => "mean";

    /// <summary>A mean of each window: affine, unlike MaxPool2d's maximum.</summary>
    public override LayerTraits Traits => LayerTraits.AffineTransparent;
}
