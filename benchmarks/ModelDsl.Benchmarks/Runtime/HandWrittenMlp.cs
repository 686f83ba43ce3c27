using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// The card's network as a TorchSharp user writes it without ModelDsl: the same modules under the same names, so
/// <c>load_state_dict</c> copies the generated model's weights into it. No shape check in forward (the generated one has
/// one): that check is part of what the ratio measures.
/// </summary>
public sealed class HandWrittenMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear dense1 = nn.Linear(784, 256);
    private readonly BatchNorm1d batchnorm = nn.BatchNorm1d(256);
    private readonly Dropout dropout = nn.Dropout(0.5);
    private readonly Linear dense2 = nn.Linear(256, 10);

    public HandWrittenMlp() : base("HandWrittenMlp") => RegisterComponents();

    public override Tensor forward(Tensor input) => dense2.forward(dropout.forward(batchnorm.forward(dense1.forward(input))));
}
