using System;

namespace ModelDsl;

/// <summary>A tensor reached a model or layer with a shape it cannot take.</summary>
public sealed class ShapeMismatchException : ArgumentException
{
    /// <summary>Describes the mismatch.</summary>
    public ShapeMismatchException(string layer, string expected, string actual)
        : base($"{layer}: expected input of shape {expected}, got {actual}.")
    {
        Layer = layer;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>Describes the mismatch in <paramref name="message"/>, for cases the plain form cannot say (a batch too small).</summary>
    public ShapeMismatchException(string layer, string expected, string actual, string message)
        : base(message)
    {
        Layer = layer;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The model or layer that rejected the input.</summary>
    public string Layer { get; }

    /// <summary>The expected shape, with B for the batch dimension.</summary>
    public string Expected { get; }

    /// <summary>The shape that arrived.</summary>
    public string Actual { get; }

    /// <summary>A shape as these messages write it: <c>[2, 3, 28]</c>.</summary>
    public static string Format(System.Collections.Generic.IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
