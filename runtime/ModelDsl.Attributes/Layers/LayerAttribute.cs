using System;

namespace ModelDsl;

/// <summary>
/// Base of every layer attribute. Layers go on a <c>[Model]</c> class (one sequential stack, in source order)
/// or on a <c>partial</c> property or field of it (a named block).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = true, Inherited = false)]
public abstract class LayerAttribute : Attribute
{
    /// <summary>
    /// The layer's name in its block, which is its state_dict key (<c>Name = "conv1"</c> gives <c>stem.conv1.weight</c>),
    /// instead of the generated one (<c>conv</c>, numbered <c>conv1</c>, <c>conv2</c> when a block has several). Use it to
    /// mirror a PyTorch model's names, so its state_dict file loads strictly. A C# identifier, or digits inside a named
    /// block (<c>"0"</c>, as nn.Sequential numbers its children); unique in its block (MD0081 otherwise).
    /// </summary>
    public string? Name { get; set; }
}
