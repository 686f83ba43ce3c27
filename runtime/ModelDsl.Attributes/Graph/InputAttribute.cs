using System;

namespace ModelDsl;

/// <summary>
/// On a <c>[Model]</c> class: one named input and its shape without the batch dimension, for a model with several
/// inputs (an image and a feature vector). With [Input]s the class's <c>[Model]</c> gives no shape, the generated
/// <c>forward</c> takes one tensor per input in declaration order, named as declared, and blocks read an input with
/// <c>[From("image")]</c> or a merge. All inputs of one call must have the same batch size.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>Declares the input <paramref name="name"/> (a C# identifier, the forward parameter's name) with <paramref name="shape"/>.</summary>
    public InputAttribute(string name, params int[] shape)
    {
        Name = name;
        Shape = shape;
    }

    /// <summary>The input's name: the forward parameter and what blocks read.</summary>
    public string Name { get; }

    /// <summary>The input shape without the batch dimension.</summary>
    public int[] Shape { get; }
}
