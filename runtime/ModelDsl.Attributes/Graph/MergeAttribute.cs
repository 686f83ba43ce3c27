using System;

namespace ModelDsl;

/// <summary>
/// Base of the attributes that join several earlier blocks or inputs into a named block's input (Keras's merge layers:
/// <c>Concatenate</c>, <c>Add</c>, <c>Multiply</c>, <c>Average</c>). The block's own layers, if any, run on the joined
/// tensor; a block with a merge and no layers is the join alone. Sources are member names of earlier blocks or input
/// names, best written with <c>nameof</c>; every source is checked at compile time (it must exist and be declared above
/// the block), and so are the shapes the merge joins.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public abstract class MergeAttribute : Attribute
{
    /// <summary>Joins <paramref name="sources"/>, at least two.</summary>
    protected MergeAttribute(string[] sources) => Sources = sources;

    /// <summary>The blocks (member names) or inputs joined, in order.</summary>
    public string[] Sources { get; }
}
