using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about this container: nothing of its own. Its children (the members) are modules and answer
// for themselves when a trait walks the model. Not a chain layer, so it implements only ILayerKind.
public partial class Ensemble<TModel> : ILayerKind where TModel : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>
{
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;
}
