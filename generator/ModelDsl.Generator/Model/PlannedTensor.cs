using System.Linq;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// One tensor of a module's state_dict as its layer rule plans it: the key relative to the layer (<c>weight</c>,
/// <c>rnn.weight_ih_l0</c>), its shape and element type. Data for checks (a safetensors header against the declaration,
/// the state_dict sweep test), never emitted.
/// </summary>
internal sealed record PlannedTensor(string Key, EquatableArray<long> Shape, TensorElement Element)
{
    /// <summary>A Float32 parameter or buffer.</summary>
    public static PlannedTensor Float(string key, params long[] shape) => new(key, shape.ToEquatableArray(), TensorElement.Float32);

    /// <summary>A BatchNorm's <c>num_batches_tracked</c>: an Int64 scalar.</summary>
    public static PlannedTensor Count(string key) => new(key, EquatableArray<long>.Empty, TensorElement.Int64);

    /// <summary>A weight layer's <c>weight</c> of the given shape and, when it has one, its <c>bias</c> of the first dimension.</summary>
    public static EquatableArray<PlannedTensor> WeightAndBias(bool bias, params long[] weight)
        => (bias ? new[] { Float("weight", weight), Float("bias", weight[0]) } : new[] { Float("weight", weight) }).ToEquatableArray();

    /// <summary>A norm's γ and β of <paramref name="shape"/>, or nothing without them.</summary>
    public static EquatableArray<PlannedTensor> Affine(bool affine, params long[] shape)
        => affine ? new[] { Float("weight", shape), Float("bias", shape) }.ToEquatableArray() : EquatableArray<PlannedTensor>.Empty;

    /// <summary>Running statistics of <paramref name="features"/> features: running_mean, running_var, num_batches_tracked.</summary>
    public static PlannedTensor[] RunningStatistics(long features)
        => new[] { Float("running_mean", features), Float("running_var", features), Count("num_batches_tracked") };

    /// <summary>This tensor under a module prefix: <c>conv1</c> + <c>weight</c> → <c>conv1.weight</c>.</summary>
    public PlannedTensor Under(string prefix) => prefix.Length == 0 ? this : this with { Key = prefix + "." + Key };

    /// <summary>The safetensors dtype name (<c>F32</c>, <c>I64</c>).</summary>
    public string SafetensorsType => Element == TensorElement.Int64 ? "I64" : "F32";

    /// <summary>The shape as the diagnostics write it: [64, 3, 7, 7].</summary>
    public string FormattedShape => "[" + string.Join(", ", Shape.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
}

/// <summary>A planned tensor's element type: parameters and float buffers are Float32, counters Int64.</summary>
internal enum TensorElement { Float32, Int64 }
