using ModelDsl;
using TorchSharp.Modules;
using static ModelDsl.Init;
using static TorchSharp.torch;

namespace Recipes;

[Model(16)]
public partial class ResidualMlp
{
    [Dense(32, Init = He, Activation = Activation.ReLU)]
    public partial Sequential Stem { get; }

    [Dense(32, Init = He, Activation = Activation.ReLU), BatchNorm]
    public partial Sequential Body { get; }

    [Dense(4)]
    public partial Sequential Head { get; }

    public override Tensor forward(Tensor input)
    {
        Tensor h = Stem.forward(input);
        return Head.forward(h + Body.forward(h));   // residual: Body's output has Stem's shape
    }
}
