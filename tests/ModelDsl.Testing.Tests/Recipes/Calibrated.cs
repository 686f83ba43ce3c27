using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recipes;

/// <summary>Temperature scaling around a generated classifier: logits / T, with T learned on held-out data.</summary>
public sealed class Calibrated : nn.Module<Tensor, Tensor>
{
    private readonly ResidualMlp net;
    private readonly Parameter temperature;

    public Calibrated(ResidualMlp net) : base(nameof(Calibrated))
    {
        this.net = net;
        temperature = new Parameter(ones(1));
        RegisterComponents();   // registers "net" and "temperature"; the model's own keys follow under net.
    }

    public ResidualMlp Net => net;

    public override Tensor forward(Tensor input) => net.forward(input) / temperature;
}
