namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[MaxPool2d(k, Stride, Padding, CeilMode)] → nn.MaxPool2d; stride defaults to the kernel size.</summary>
internal sealed class MaxPool2dRule : Pool2dRule
{
    public override string Name => "MaxPool2d";

    protected override string Module => "MaxPool2d";

    protected override string Describe => "maximum";
}
