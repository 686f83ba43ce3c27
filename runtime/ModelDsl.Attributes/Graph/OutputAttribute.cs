using System;

namespace ModelDsl;

/// <summary>
/// On a named block: the block's result is an output of the model. Without any [Output] the last block is the one output
/// and the model stays a <c>Module&lt;Tensor, Tensor&gt;</c>. With one [Output] that block's result is returned (the
/// blocks after it are branches it does not wait for, and must feed another output). With several, <c>forward</c>
/// returns the generated record <c>Outputs</c> with one <c>Tensor</c> property per output block, named after the block
/// (<c>result.Class</c>, <c>result.Box</c>), so each loss binds to its output by a checked name.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class OutputAttribute : Attribute
{
}
