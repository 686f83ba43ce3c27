using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// An ensemble whose members run as one <see cref="VectorizedDenseStack"/> (stacked weights, batched matmuls) and are combined by
/// an <see cref="EnsembleAggregator"/>. Train/eval, to(device) and state_dict reach the stack and the aggregator as children.
/// </summary>
public partial class VectorizedEnsemble : nn.Module<Tensor, Tensor>
{
    private readonly VectorizedDenseStack stack;
    private readonly EnsembleAggregator aggregator;

    /// <summary>Wraps a stack and an aggregator for the same number of members.</summary>
    public VectorizedEnsemble(VectorizedDenseStack stack, EnsembleAggregator aggregator, string name = "VectorizedEnsemble") : base(name)
    {
        if (stack.Members != aggregator.Members)
            throw new System.ArgumentException($"{name}: the stack has {stack.Members} members but the aggregator expects {aggregator.Members}", nameof(aggregator));
        this.stack = stack;
        this.aggregator = aggregator;
        register_module("stack", stack);
        register_module("aggregator", aggregator);
        // Learned or fixed WeightedMean weights take the stack's type (a float64 ensemble keeps float64 weights).
        if (stack.parameters().FirstOrDefault() is { } parameter) aggregator.to(parameter.dtype);
    }

    /// <summary>The stacked members.</summary>
    public VectorizedDenseStack Stack => stack;

    /// <summary>The aggregation module.</summary>
    public EnsembleAggregator Aggregator => aggregator;

    /// <summary>Every member's output, stacked member-first: <c>[k, B, …]</c>.</summary>
    public Tensor MemberOutputs(Tensor input) => stack.forward(input);

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => aggregator.forward(stack.forward(input));
}
