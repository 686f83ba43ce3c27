using System;

namespace ModelDsl;

/// <summary>
/// Marks a <c>partial</c> class as a block template: a structure of named blocks (with <see cref="FromAttribute"/> and
/// merges, reading <c>"input"</c>) declared once and used in models any number of times with different sizes, as
/// torchvision's Inception, Fire and inverted-residual modules are. Its <c>public const int</c> (or <c>double</c>) fields
/// are its parameters: a layer argument that names one (<c>[Conv2d(Squeeze, 1)]</c>, or an expression such as
/// <c>Width * 4</c>) takes the value each use gives with <see cref="WithAttribute"/>; the constant's own value only lets the
/// template compile. A model uses the template through a partial property of its type,
/// <c>[With(nameof(Fire.Squeeze), 16, nameof(Fire.Expand), 64)] public partial Fire Fire2 { get; }</c>, and the generator
/// plans each use with its own input shape: shapes, initialization, summary rows, weight-decay groups and state_dict
/// names (<c>fire2.squeeze.conv.weight</c>) per use. The template itself becomes a TorchSharp module whose constructor
/// takes its blocks and whose forward is its graph.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class BlockAttribute : Attribute
{
}
