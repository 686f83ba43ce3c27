using System.Collections.Generic;

namespace ModelDsl;

/// <summary>What every generated model offers beyond TorchSharp's <c>Module&lt;Tensor, Tensor&gt;</c>.</summary>
public interface IGeneratedModel
{
    /// <summary>The architecture table (layer, output shape, parameters, init), the same one the class's XML doc shows.</summary>
    string Summary();

    /// <summary>
    /// The architecture table at a depth, as torchinfo's <c>depth</c>: every row whose dotted name (<c>layer1.0.conv1</c>)
    /// has more than <paramref name="depth"/> parts summed into its ancestor's row (<c>layer1: 3 residual units</c>).
    /// 1 gives one row per class-level layer and block; a depth at or past the deepest name gives <see cref="Summary()"/>.
    /// </summary>
    /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="depth"/> is less than 1.</exception>
    string Summary(int depth);

    /// <summary>The input shape without the batch dimension, as <c>[Model(...)]</c> declares it.</summary>
    IReadOnlyList<long> InputShape { get; }
}
