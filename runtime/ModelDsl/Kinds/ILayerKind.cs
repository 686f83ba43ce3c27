using ModelDsl.Onnx;

namespace ModelDsl.Kinds;

/// <summary>
/// What the runtime needs to know about one of ModelDsl's own module types, answered by the module itself so that it
/// lives with the kind (TorchSharp's sealed modules answer through <see cref="TorchLayerKinds"/> instead). Every
/// <c>nn.Module&lt;Tensor, Tensor&gt;</c> of this assembly implements it: LayerKindTests fails on one that does not, and
/// the compiler on one that leaves a member out. Ask through <see cref="LayerKinds"/>, which covers both sources.
/// </summary>
internal interface ILayerKind
{
    /// <summary>
    /// Whether this module itself draws from TorchSharp's global generator in training mode (dropout, noise). Only the
    /// module's own draws: <see cref="LayerKinds.DrawsFromGlobalGenerator"/> walks its children, which answer for themselves.
    /// </summary>
    bool DrawsFromGlobalGenerator { get; }

    /// <summary>Whether this module normalizes with the batch's own statistics in training mode (a batch norm), so a batch of one breaks it.</summary>
    bool HasBatchStatistics { get; }

    /// <summary>The running statistics eval mode normalizes with (a batch norm that keeps them), or null.</summary>
    RunningStatistics? RunningStatistics { get; }
}
