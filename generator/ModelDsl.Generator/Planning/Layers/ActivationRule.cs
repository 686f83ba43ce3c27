using System.Collections.Immutable;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[ReLU], [LeakyReLU(slope)], [Tanh], [Sigmoid], [GELU], [Softmax], [LogSoftmax]: shape-preserving.</summary>
internal sealed class ActivationRule : LayerRule
{
    private readonly string name;

    public ActivationRule(string name) => this.name = name;

    public override string Name => name;

    public override ImmutableArray<LayerPart> Plan(LayerContext context)
    {
        if (Activations.IsOutputOnly(name))
        {
            foreach (var next in context.Following)
            {
                context.Report(Diagnostics.Descriptors.ActivationPlacement, name, next.Name);
                break;
            }
        }
        LayerPart? part = Activations.Module(name, Activations.Slope(context.Layer), context.Input);
        return part is null ? ImmutableArray<LayerPart>.Empty : ImmutableArray.Create(part);
    }
}
