using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// A [Residual] block, decided: its units in order. The block's <see cref="PlannedBlock.Layers"/> hold each unit's layers
/// one after the other, named <c>0.conv1</c>, <c>0.shortcut.conv</c>: first the branch, then the projection shortcut,
/// then the activation after the sum.
/// </summary>
internal sealed record ResidualPlan(EquatableArray<ResidualUnitPlan> Units, string BranchInit)
{
    /// <summary>The activation after the sum (ReLU), or null for none (pre-activation units).</summary>
    public string? Activation { get; init; }
}

/// <summary>
/// One unit, y = activation(branch(x) + shortcut(x)): its child name ("0"), input shape, and how many of the block's
/// layers its branch, its shortcut (0 for the identity) and its activation (0 or 1) take.
/// </summary>
internal sealed record ResidualUnitPlan(string Name, EquatableArray<long> InputShape, int Branch, int Shortcut, int Activation)
{
    /// <summary>The unit as the graph planner planned it: <c>branch</c> and <c>shortcut</c> read the input, <c>sum</c> adds them.</summary>
    public GraphPlan? Graph { get; init; }
}
