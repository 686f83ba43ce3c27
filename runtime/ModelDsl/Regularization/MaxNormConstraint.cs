namespace ModelDsl;

/// <summary>A max-norm constraint as generated code declares it: the weight parameter's name and the bound c.</summary>
/// <param name="Parameter">The weight's name in named_parameters(), e.g. <c>dense1.weight</c>.</param>
/// <param name="Max">The largest L2 norm a unit's incoming weight vector may have.</param>
public sealed record MaxNormConstraint(string Parameter, double Max);
