using System;
using ModelDsl.Onnx;
using static TorchSharp.torch;

namespace ModelDsl.Kinds;

/// <summary>Writes a TorchSharp layer's eval-mode ONNX nodes applied to <c>input</c>; returns the output value's name.</summary>
internal delegate string OnnxForm(LayerExportContext context, nn.Module module, string name, string input);

/// <summary>Writes a Dense or Conv layer's ONNX nodes with the given weights instead of its own (a batch norm folded in).</summary>
internal delegate string FoldedOnnxForm(LayerExportContext context, nn.Module module, string name, string input, Tensor weight, Tensor? bias);

/// <summary>A layer a following batch norm can fold into (<see cref="BatchNormFolding"/>): its weights, and its ONNX form with folded ones.</summary>
internal sealed record FoldTarget(Func<nn.Module, (Tensor Weight, Tensor? Bias)> Weights, FoldedOnnxForm Export);

/// <summary>
/// What the runtime knows about one TorchSharp module type, the counterpart of <see cref="ILayerKind"/> and
/// <see cref="IOnnxLayer"/> for types ModelDsl cannot add an interface to. Every member is a positional parameter
/// without a default, so an entry states each trait.
/// </summary>
/// <param name="Export">Its ONNX form; <see cref="TorchLayerKinds.NoOnnxForm"/> for a type the exporter refuses.</param>
/// <param name="DrawsFromGlobalGenerator">Whether a module of the type draws from the global generator in training mode.</param>
/// <param name="HasBatchStatistics">Whether it normalizes with batch statistics in training mode.</param>
/// <param name="RunningStatistics">Its running statistics, or null for the module or for every module of the type.</param>
/// <param name="FoldTarget">How a following batch norm folds into it, or null when none does.</param>
internal sealed record TorchLayerKind(
    OnnxForm Export,
    Func<nn.Module, bool> DrawsFromGlobalGenerator,
    bool HasBatchStatistics,
    Func<nn.Module, RunningStatistics?>? RunningStatistics,
    FoldTarget? FoldTarget);
