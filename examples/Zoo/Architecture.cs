using System;
using System.Collections.Generic;
using ModelDsl.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Zoo;

/// <summary>
/// One zoo entry: torchvision's name, how to build the declaration, and how its eval outputs are named in the output
/// file (<c>output</c> for a classifier, torchvision's own keys for the segmentation models).
/// </summary>
/// <param name="Name">torchvision 0.14's constructor name (<c>resnet18</c>).</param>
/// <param name="Create">Builds the DSL model (a generated class).</param>
/// <param name="Forward">Runs it on a [B, 3, 224, 224] batch and names each output.</param>
public sealed record Architecture(string Name, Func<nn.Module> Create, Func<nn.Module, Tensor, IReadOnlyDictionary<string, Tensor>> Forward)
{
    /// <summary>A single-output model, its output written as <paramref name="output"/> (torchvision's name: <c>output</c>, or <c>out</c> for a segmentation model).</summary>
    public static Architecture Classifier<TModel>(string name, Func<TModel> create, string output = "output") where TModel : nn.Module<Tensor, Tensor>, IOnnxExportable
        => new(name, create, (model, input) => new Dictionary<string, Tensor> { [output] = ((TModel)model).forward(input) });

    /// <summary>A model with several outputs (a generated <c>Outputs</c> record), each named as torchvision's dict names it.</summary>
    public static Architecture Outputs<TModel, TOutputs>(string name, Func<TModel> create, Func<TOutputs, IReadOnlyDictionary<string, Tensor>> named)
        where TModel : nn.Module<Tensor, TOutputs>, IOnnxExportable
        => new(name, create, (model, input) => named(((TModel)model).forward(input)));
}
