using System;

namespace ModelDsl;

/// <summary>
/// Base of every layer attribute. Layers go on a <c>[Model]</c> class (one sequential stack, in source order)
/// or on a <c>partial</c> property or field of it (a named block).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = true, Inherited = false)]
public abstract class LayerAttribute : Attribute
{
}
