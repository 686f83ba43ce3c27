using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// <see cref="CardCnn"/> as a TorchSharp user writes it without the generator: the same modules under the same names (so
/// <c>load_state_dict</c> copies the generated model's weights and running statistics), called in the same order, no
/// input-shape check; with ModelDsl's runtime settings (the layout switch, max pooling through channels-last strides, each
/// batch norm inside the 2×2 max pool's kernel), so the ratio measures the generator.
/// </summary>
public sealed class HandWrittenCnn : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1 = nn.Conv2d(1, 32, 3, padding: TorchSharp.Padding.Same, bias: false);
    private readonly BatchNormalization batchnorm1 = new(32);
    private readonly ReLU relu1 = nn.ReLU();
    private readonly MaxPooling2D maxpool1 = new(2, 2);
    private readonly Conv2d conv2 = nn.Conv2d(32, 64, 3, padding: TorchSharp.Padding.Same, bias: false);
    private readonly BatchNormalization batchnorm2 = new(64);
    private readonly ReLU relu2 = nn.ReLU();
    private readonly MaxPooling2D maxpool2 = new(2, 2);
    private readonly Dropout2d dropout2d = nn.Dropout2d(0.25);
    private readonly Flatten flatten = nn.Flatten();
    private readonly Linear dense1 = nn.Linear(3136, 128);
    private readonly ReLU relu3 = nn.ReLU();
    private readonly Dropout dropout = nn.Dropout(0.5);
    private readonly Linear dense2 = nn.Linear(128, 10);

    public HandWrittenCnn() : base("HandWrittenCnn") => RegisterComponents();

    public override Tensor forward(Tensor input)
    {
        // The generated forward's layout switch, so the ratio measures the generator and not the layout.
        // Each batch norm and the ReLU after it inside the pool's kernel (ForwardAfter), as the generated forward calls them:
        // the ReLU commutes with the pool, so the kernel rectifies the pooled image (relu1 and relu2 stay registered, as there);
        // the first one-channel convolution inside it too.
        Tensor x = maxpool1.ForwardAfter(batchnorm1, conv1, input, this, applyReLU: true);
        x = maxpool2.ForwardAfter(batchnorm2, ChannelsLast.Convolve(conv2, x), applyReLU: true);
        x = dense1.forward(flatten.forward(dropout2d.forward(x)));
        return dense2.forward(dropout.forward(relu3.forward(x)));
    }
}
