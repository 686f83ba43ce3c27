using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// <see cref="CardResNet"/> as a TorchSharp user writes it without ModelDsl, torchvision's BasicBlock style: the same
/// modules under the same state_dict names (so <c>load_state_dict</c> copies the generated model's weights and running
/// statistics), an out-of-place sum, no input-shape check.
/// </summary>
public sealed class HandWrittenResNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv = nn.Conv2d(1, 16, 3, padding: 1, bias: false);
    private readonly BatchNorm2d batchnorm = nn.BatchNorm2d(16);
    private readonly ReLU relu = nn.ReLU();
    private readonly Sequential stage1 = nn.Sequential(("0", new BasicBlock(16, 16, 1)));
    private readonly Sequential stage2 = nn.Sequential(("0", new BasicBlock(16, 32, 2)), ("1", new BasicBlock(32, 32, 1)));
    private readonly Sequential stage3 = nn.Sequential(("0", new BasicBlock(32, 64, 2)), ("1", new BasicBlock(64, 64, 1)));
    private readonly Sequential head = nn.Sequential(("globalpool", nn.AdaptiveAvgPool2d(1)), ("globalflatten", nn.Flatten()), ("dense", nn.Linear(64, 10)));

    public HandWrittenResNet() : base("HandWrittenResNet") => RegisterComponents();

    public override Tensor forward(Tensor input)
    {
        // The generated forward's layout switch, so the ratio measures the generator and not the layout.
        Tensor x = relu.forward(batchnorm.forward(ChannelsLast.FromLayer(conv, input, this)));
        return head.forward(stage3.forward(stage2.forward(stage1.forward(x))));
    }

    /// <summary>relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)); the shortcut a 1×1 convolution and batch norm when the shape changes.</summary>
    private sealed class BasicBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1;
        private readonly BatchNorm2d batchnorm1;
        private readonly ReLU relu1 = nn.ReLU();
        private readonly Conv2d conv2;
        private readonly BatchNorm2d batchnorm2;
        private readonly ReLU relu2 = nn.ReLU();
        private readonly Sequential? shortcut;

        public BasicBlock(long inChannels, long outChannels, long stride) : base("BasicBlock")
        {
            conv1 = nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
            batchnorm1 = nn.BatchNorm2d(outChannels);
            conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1, bias: false);
            batchnorm2 = nn.BatchNorm2d(outChannels);
            if (stride != 1 || inChannels != outChannels)
                shortcut = nn.Sequential(("conv", nn.Conv2d(inChannels, outChannels, 1, stride: stride, bias: false)), ("batchnorm", nn.BatchNorm2d(outChannels)));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            // ResidualBlock's convolution calls, so the ratio measures the generator and not the convolution.
            Tensor y = relu1.forward(batchnorm1.forward(ChannelsLast.Convolve(conv1, x)));
            y = batchnorm2.forward(ChannelsLast.Convolve(conv2, y));
            return relu2.forward(y + (shortcut is null ? x : shortcut.forward(x)));
        }
    }
}
