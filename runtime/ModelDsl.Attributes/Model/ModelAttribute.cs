using System;

namespace ModelDsl;

/// <summary>
/// Marks a <c>partial</c> class as a ModelDsl model and gives its input shape without the batch dimension:
/// <c>[Model(784)]</c> for vectors, <c>[Model(1, 28, 28)]</c> for images (channels, height, width).
/// Layer attributes on the class form one sequential stack in source order.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ModelAttribute : Attribute
{
    /// <summary>Declares the input shape.</summary>
    public ModelAttribute(params int[] inputShape) => InputShape = inputShape;

    /// <summary>The input shape without the batch dimension.</summary>
    public int[] InputShape { get; }
}
