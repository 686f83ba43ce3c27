using ModelDsl;
using TorchSharp.Modules;
using static ModelDsl.Init;

namespace ModelDsl.Tests.Models;

/// <summary>Named blocks: state_dict keys are block.layer.parameter.</summary>
[Model(20)]
public partial class BlockMlp
{
    [Dense(16, Init = He), BatchNorm, ReLU]
    public partial Sequential Hidden { get; }

    [Dense(3), LogSoftmax]
    public partial Sequential Head { get; }
}
