using System;

namespace ModelDsl;

/// <summary>
/// On a named block: the block reads <see cref="Source"/> (an earlier block, by member name, or a model input, by
/// the name its <see cref="InputAttribute"/> gives; <c>"input"</c> for the one input of <c>[Model(...)]</c>) instead of
/// the block declared just before it. Several blocks reading the same source are parallel branches, which a later block
/// joins with <see cref="ConcatenateAttribute"/>, <see cref="AddAttribute"/>, <see cref="MultiplyAttribute"/> or
/// <see cref="AverageAttribute"/>. Write the name with <c>nameof(Stem)</c> so a rename reaches it.
/// </summary>
/// <remarks>
/// Blocks run in declaration order, so a block can only read what is declared above it: a graph declared this way has
/// no cycles (Keras's functional API checks the same when the graph is built; ModelDsl checks it when the code compiles).
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class FromAttribute : Attribute
{
    /// <summary>Reads one earlier block or model input.</summary>
    public FromAttribute(string source) => Source = source;

    /// <summary>The block (member name) or input read.</summary>
    public string Source { get; }
}
