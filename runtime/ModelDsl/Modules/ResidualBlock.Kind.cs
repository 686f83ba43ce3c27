using ModelDsl.Kinds;
using ModelDsl.Onnx;

namespace ModelDsl;

// What the runtime knows about a residual unit as a layer kind; its layers answer for themselves.
public sealed partial class ResidualBlock : IOnnxLayer
{
    /// <summary>The unit draws nothing itself; a dropout in its branch is a child and counts on its own.</summary>
    bool ILayerKind.DrawsFromGlobalGenerator => false;

    /// <summary>Likewise for a batch norm in its branch.</summary>
    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>
    /// activation(branch(x) + shortcut(x)): the branch and the projection as chains of their own (so their batch norms
    /// fold into their convolutions like any other), one Add node named after the unit, then the activation.
    /// </summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
    {
        long[] inputShape = context.Link.InputShape;
        string branch = context.WriteChain(ModuleChain.Links(Branch, inputShape), input, name + ".");
        string skip = Shortcut is null ? input : context.WriteChain(ModuleChain.Links(ModuleChain.Children(Shortcut), inputShape), input, name + ".shortcut.");
        string sum = context.Graph.Node("Add", name, new[] { branch, skip });
        return Activation is null ? sum : context.WriteLayer(new ChainLink("activation", Activation, inputShape), name + ".activation", sum);
    }
}
