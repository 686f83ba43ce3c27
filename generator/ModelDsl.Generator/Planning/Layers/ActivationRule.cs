using System.Collections.Immutable;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// A shape-preserving activation without options: [ReLU], [Tanh], [Sigmoid], [GELU], [SiLU], [Softmax], [LogSoftmax],
/// each one registry line in <see cref="LayerRules"/> giving its module, comment, gain rule and output kind. Activations
/// with an option ([LeakyReLU(slope)], [ELU(alpha)]) derive from it. Dense's and Conv2d's inline Activation use the
/// same rules (<see cref="Inline"/>).
/// </summary>
internal class ActivationRule : LayerRule
{
    private readonly string name;
    private readonly string comment;
    private readonly ActivationGain gain;
    private readonly OutputKind output;
    private readonly bool vectorizable;
    // Fixed per rule, and read for every activation of every model: made once rather than on each use.
    private readonly string childName;
    private readonly string moduleType;
    private readonly string factory;
    private readonly CallPlan? inPlaceConstruction;
    private readonly bool commutesWithMaxPool;
    private readonly bool rectifiesAtZero;

    /// <param name="name">The attribute's name, TorchSharp's module name and factory (nn.ReLU()).</param>
    /// <param name="comment">What it computes, for the generated comment.</param>
    /// <param name="gain">How He and Xavier treat it.</param>
    /// <param name="output">What the model's output is when it comes last.</param>
    /// <param name="vectorizable">Whether ModelDsl.VectorizedLayerKind has it (the runtime's vectorized ensemble).</param>
    /// <param name="inPlace">Whether TorchSharp's module can rectify in place (<c>inplace: true</c>) with autograd intact: its backward reads its output only.</param>
    /// <param name="commutesWithMaxPool">Whether it is non-decreasing and exact where flat, so a max pool after it may run first (<see cref="PlannedLayer.CommutesWithMaxPool"/>).</param>
    /// <param name="rectifiesAtZero">Whether it is exactly max(0, x), which the pool's batch norm kernel can apply (<see cref="PlannedLayer.RectifiesAtZero"/>).</param>
    public ActivationRule(string name, string comment, ActivationGain gain, OutputKind output = OutputKind.Logits, bool vectorizable = true, bool inPlace = false,
        bool commutesWithMaxPool = false, bool rectifiesAtZero = false)
    {
        this.name = name;
        this.comment = comment;
        this.gain = gain;
        this.output = output;
        this.vectorizable = vectorizable;
        childName = name.ToLowerInvariant();
        moduleType = $"{Modules}.{name}";
        factory = $"{Nn}.{name}";
        inPlaceConstruction = inPlace ? CallPlan.Method(factory, CallArgument.Bool(true, "inplace")) : null;
        this.commutesWithMaxPool = commutesWithMaxPool;
        this.rectifiesAtZero = rectifiesAtZero;
        Traits = new() { Activation = gain, OutputOnly = gain == ActivationGain.Output };
    }

    public override string Name => name;

    public override LayerTraits Traits { get; }

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        if (Traits.OutputOnly)
        {
            foreach (var next in context.Following)
            {
                context.Report(Diagnostics.Descriptors.ActivationPlacement, name, next.Name);
                break;
            }
        }
        return ImmutableArray.Create(Part(context, context.Input));
    }

    /// <summary>The module for this activation on <paramref name="shape"/>; the display, construction and comment come from <see cref="Describe"/>.</summary>
    protected virtual PlannedLayer Part(LayerContext? context, EquatableArray<long> shape)
        => Make(name, CallPlan.Method(factory, Arguments()), comment, shape, vectorizable ? new VectorizedLayerPlan(VectorizedForm.Activation, shape.Count == 1 ? shape[0] : 0, 0, false, name, 0) : null);

    /// <summary>Arguments of the TorchSharp factory: dim: -1 for the softmax family, none otherwise.</summary>
    private CallArgument[] Arguments() => output is OutputKind.Probabilities or OutputKind.LogProbabilities ? new[] { CallArgument.Long(-1, "dim") } : System.Array.Empty<CallArgument>();

    protected PlannedLayer Make(string display, CallPlan construction, string what, EquatableArray<long> shape, VectorizedLayerPlan? vectorized)
        => new PlannedLayer(childName, display, moduleType, construction, EquatableArray<CallPlan>.Empty, what, shape, 0, "")
        {
            Kind = name,
            Output = output,
            Vectorized = vectorized,
            InPlaceConstruction = inPlaceConstruction,
            CommutesWithMaxPool = commutesWithMaxPool,
            RectifiesAtZero = rectifiesAtZero,
        };

    /// <summary>The activation a layer's inline <c>Activation = …</c> adds after it (its default options), or null for None.</summary>
    public static PlannedLayer? Inline(string activation, string owner, EquatableArray<long> shape)
        => activation == "None" || LayerRules.Find(activation) is not ActivationRule rule ? null : rule.Part(null, shape) with { Kind = owner };

    /// <summary>A layer's module, followed by the activation its inline <c>Activation = …</c> adds (<see cref="Inline"/>), if any.</summary>
    public static ImmutableArray<PlannedLayer> WithInline(PlannedLayer layer, string activation, string owner, EquatableArray<long> shape)
        => Inline(activation, owner, shape) is { } inline ? ImmutableArray.Create(layer, inline) : ImmutableArray.Create(layer);
}
