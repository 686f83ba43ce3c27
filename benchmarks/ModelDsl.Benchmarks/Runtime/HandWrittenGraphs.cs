using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// examples/InceptionMnist's <see cref="InceptionMnist.InceptionNet"/> as a TorchSharp user writes it without ModelDsl: an InceptionModule class with its three
/// branches and torch.cat, the same state_dict names, the generated forward's layout switch after the stem and its max
/// pooling (ModelDsl's MaxPooling2D).
/// </summary>
public sealed class HandWrittenInception : nn.Module<Tensor, Tensor>
{
    private readonly Sequential stem = nn.Sequential(("conv", nn.Conv2d(1, 32, 3, padding: 1, bias: false)), ("batchnorm", nn.BatchNorm2d(32)), ("relu", nn.ReLU()));
    private readonly InceptionModule mixed1 = new(32, 24, 24, 32, 8, 16);
    private readonly Sequential pool1 = nn.Sequential(("maxpool", new MaxPooling2D(2, 2)));
    private readonly InceptionModule mixed2 = new(72, 48, 32, 64, 12, 24);
    private readonly Sequential pool2 = nn.Sequential(("maxpool", new MaxPooling2D(2, 2)));
    private readonly InceptionModule mixed3 = new(136, 64, 48, 96, 16, 32);
    private readonly Sequential head = nn.Sequential(("globalpool", nn.AdaptiveAvgPool2d(1)), ("globalflatten", nn.Flatten()), ("dropout", nn.Dropout(0.2)), ("dense", nn.Linear(192, 10)));

    public HandWrittenInception() : base("HandWrittenInception") => RegisterComponents();

    public override Tensor forward(Tensor input)
    {
        Tensor x = ChannelsLast.From(stem.forward(input), this);
        return head.forward(mixed3.forward(pool2.forward(mixed2.forward(pool1.forward(mixed1.forward(x))))));
    }

    private sealed class InceptionModule : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential branch1, branch3, branch5;

        public InceptionModule(long input, long out1, long reduce3, long out3, long reduce5, long out5) : base("InceptionModule")
        {
            branch1 = nn.Sequential(("conv", nn.Conv2d(input, out1, 1, bias: false)), ("batchnorm", nn.BatchNorm2d(out1)), ("relu", nn.ReLU()));
            branch3 = nn.Sequential(("conv1", nn.Conv2d(input, reduce3, 1, bias: false)), ("batchnorm1", nn.BatchNorm2d(reduce3)), ("relu1", nn.ReLU()),
                ("conv2", nn.Conv2d(reduce3, out3, 3, padding: 1, bias: false)), ("batchnorm2", nn.BatchNorm2d(out3)), ("relu2", nn.ReLU()));
            branch5 = nn.Sequential(("conv1", nn.Conv2d(input, reduce5, 1, bias: false)), ("batchnorm1", nn.BatchNorm2d(reduce5)), ("relu1", nn.ReLU()),
                ("conv2", nn.Conv2d(reduce5, out5, 5, padding: 2, bias: false)), ("batchnorm2", nn.BatchNorm2d(out5)), ("relu2", nn.ReLU()));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => cat(new[] { branch1.forward(x), branch3.forward(x), branch5.forward(x) }, 1);
    }
}

/// <summary><see cref="CardDenseNet"/> written by hand: the dense block's concatenations in forward, the same state_dict names.</summary>
public sealed class HandWrittenDenseNet : nn.Module<Tensor, Tensor>
{
    private readonly Sequential stem = nn.Sequential(("conv", nn.Conv2d(1, 16, 3, padding: 1, bias: false)));
    private readonly Sequential layer1 = Layer(16);
    private readonly Sequential layer2 = Layer(24);
    private readonly Sequential layer3 = Layer(32);
    private readonly Sequential transition = nn.Sequential(("batchnorm", nn.BatchNorm2d(40)), ("relu", nn.ReLU()), ("conv", nn.Conv2d(40, 20, 1, bias: false)), ("avgpool", nn.AvgPool2d(2)));
    private readonly Sequential head = nn.Sequential(("globalpool", nn.AdaptiveAvgPool2d(1)), ("globalflatten", nn.Flatten()), ("dense", nn.Linear(20, 10)));

    public HandWrittenDenseNet() : base("HandWrittenDenseNet") => RegisterComponents();

    private static Sequential Layer(long input) => nn.Sequential(("batchnorm", nn.BatchNorm2d(input)), ("relu", nn.ReLU()), ("conv", nn.Conv2d(input, 8, 3, padding: 1, bias: false)));

    public override Tensor forward(Tensor input)
    {
        Tensor s = ChannelsLast.From(stem.forward(input), this);
        Tensor l1 = layer1.forward(s);
        Tensor l2 = layer2.forward(cat(new[] { s, l1 }, 1));
        Tensor l3 = layer3.forward(cat(new[] { s, l1, l2 }, 1));
        return head.forward(transition.forward(cat(new[] { s, l1, l2, l3 }, 1)));
    }
}
