namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[AvgPool2d(k, Stride, Padding, CeilMode, CountIncludePad)] → nn.AvgPool2d; stride defaults to the kernel size.</summary>
internal sealed class AvgPool2dRule : Pool2dRule
{
    public override string Name => "AvgPool2d";

    protected override string Module => "AvgPool2d";

    protected override string Describe => "mean";

    /// <summary>A mean of each window: affine, unlike MaxPool2d's maximum.</summary>
    public override LayerTraits Traits => LayerTraits.AffineTransparent;

    /// <summary>The shared pooling defaults, and padded zeros counted in each mean (PyTorch's count_include_pad).</summary>
    public override System.Collections.Immutable.ImmutableDictionary<string, object> Defaults { get; } = System.Collections.Immutable.ImmutableDictionary<string, object>.Empty
        .Add("Stride", 0).Add("Padding", 0).Add("CeilMode", false).Add("CountIncludePad", true);

    protected override System.Collections.Generic.IEnumerable<Model.CallArgument> Extra(LayerContext context)
        => context.Boolean("CountIncludePad") ? System.Array.Empty<Model.CallArgument>() : new[] { Model.CallArgument.Bool(false, "count_include_pad") };
}
