using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [MaxPool2d(k, Stride, Padding, CeilMode)] → ModelDsl.MaxPooling2D (Keras's name), PyTorch's nn.MaxPool2d pooled through channels-last
/// strides on the CPU (libtorch's NCHW kernel is scalar); stride defaults to the kernel size.
/// </summary>
internal sealed class MaxPool2dRule : Pool2dRule
{
    public override string Name => "MaxPool2d";

    protected override string Module => "MaxPool2d";

    protected override string ModuleType => "global::ModelDsl.MaxPooling2D";

    protected override CallPlan Construct(CallArgument[] arguments) => CallPlan.New(ModuleType, arguments);

    protected override string CeilModeName => "ceilMode";

    protected override string Describe => "maximum";

    protected override bool PoolsByMaximum => true;
}
