using System.Linq;
using ModelDsl.Onnx;
using static TorchSharp.torch;

namespace ModelDsl.Kinds;

/// <summary>
/// The one place the runtime asks what a module is: ModelDsl's own modules answer as <see cref="ILayerKind"/> /
/// <see cref="IOnnxLayer"/>, TorchSharp's through <see cref="TorchLayerKinds"/>. The export, the trainer, the
/// concurrent-run check and batch-norm folding all ask here, so a new kind is described once.
/// </summary>
internal static class LayerKinds
{
    /// <summary>
    /// Whether <paramref name="model"/> or a module inside it draws from TorchSharp's global generator in training: dropout,
    /// noise, weight noise, a stacked recurrent layer with dropout. A user's own module that calls rand() is not recognized.
    /// </summary>
    public static bool DrawsFromGlobalGenerator(nn.Module model)
        => model.modules().Prepend(model).Any(Draws);

    /// <summary>Whether a module of <paramref name="model"/> is in training mode and normalizes with batch statistics there (a batch norm not frozen).</summary>
    public static bool HasBatchStatistics(nn.Module model)
        => model.modules().Prepend(model).Any(m => m.training && NormalizesWithBatchStatistics(m));

    /// <summary>The running statistics of a batch norm that keeps them; null for any other module.</summary>
    public static RunningStatistics? RunningStatistics(nn.Module module)
        => module is ILayerKind kind ? kind.RunningStatistics : TorchLayerKinds.Find(module.GetType())?.RunningStatistics?.Invoke(module);

    /// <summary>How a following batch norm folds into <paramref name="module"/>, or null when none can.</summary>
    public static FoldTarget? FoldTarget(nn.Module module)
        => module is ILayerKind ? null : TorchLayerKinds.Find(module.GetType())?.FoldTarget;

    /// <summary>Writes the layer of <paramref name="context"/>'s link; throws <see cref="OnnxExportException"/> for a module without an ONNX form.</summary>
    public static string ExportOnnx(LayerExportContext context, string name, string input)
    {
        nn.Module module = context.Link.Module;
        if (module is IOnnxLayer layer) return layer.ExportOnnx(context, name, input);
        if (module is not ILayerKind && TorchLayerKinds.Find(module.GetType()) is { } kind) return kind.Export(context, module, name, input);
        throw context.NoOnnxForm();
    }

    /// <summary>Whether <paramref name="module"/> itself (not its children) draws in training.</summary>
    private static bool Draws(nn.Module module)
        => module is ILayerKind kind ? kind.DrawsFromGlobalGenerator : TorchLayerKinds.Find(module.GetType())?.DrawsFromGlobalGenerator(module) ?? false;

    private static bool NormalizesWithBatchStatistics(nn.Module module)
        => module is ILayerKind kind ? kind.HasBatchStatistics : TorchLayerKinds.Find(module.GetType())?.HasBatchStatistics ?? false;
}
