using ModelDsl;
using TorchSharp.Modules;
using static ModelDsl.Init;

namespace FineTune;

/// <summary>
/// The network train_in_pytorch.py trains: 784 → 128 → 64 → 5 with ReLU. The blocks name the parameters as PyTorch's
/// nested nn.Sequential does (body.dense1.weight, body.dense2.bias, head.dense.weight, …), so the PyTorch state_dict
/// loads strictly; <see cref="Body"/> is the part fine-tuning keeps frozen and <see cref="Head"/> the part it retrains.
/// </summary>
[Model(1, 28, 28)]
public partial class DigitsMlp
{
    [Flatten, Dense(128, Init = He), ReLU, Dense(64, Init = He), ReLU]
    public partial Sequential Body { get; }

    [Dense(5)]
    public partial Sequential Head { get; }
}
