using System.Collections.Generic;

namespace ModelDsl;

/// <summary>What every generated model offers beyond TorchSharp's <c>Module&lt;Tensor, Tensor&gt;</c>.</summary>
public interface IGeneratedModel
{
    /// <summary>The architecture table (layer, output shape, parameters, init), the same one the class's XML doc shows.</summary>
    string Summary();

    /// <summary>The input shape without the batch dimension, as <c>[Model(...)]</c> declares it.</summary>
    IReadOnlyList<long> InputShape { get; }
}
