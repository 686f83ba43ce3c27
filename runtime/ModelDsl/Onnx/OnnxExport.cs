using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Google.Protobuf;
using ModelDsl.Onnx.Proto;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

/// <summary>
/// Exports a generated model or ensemble to ONNX (opset <see cref="Opset"/>, IR version <see cref="IrVersion"/>): the
/// model's eval-mode graph with its current weights, a dynamic batch dimension named <c>batch</c>, input <c>input</c>
/// [batch, …InputShape] and output <c>output</c>. TorchSharp has no ONNX export (it would need tracing); a generated
/// model needs none, because its forward is the declared chain of layers, which this exporter writes layer by layer and
/// checks on a probe batch before writing (<see cref="OnnxExportOptions.VerifyForward"/>). Files are written to a
/// temporary file beside the target and renamed over it, so a failed export leaves no file and an existing one intact.
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the exporter writes (2022; ONNX Runtime ≥ 1.12 and most engines read it).</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version written, the one that goes with opset 17.</summary>
    public const int IrVersion = 8;

    /// <summary>Writes <paramref name="model"/>'s eval-mode graph to <paramref name="path"/>.</summary>
    /// <exception cref="OnnxExportException">A layer has no ONNX form, or the forward is not the declared chain; nothing is written.</exception>
    public static void ExportOnnx(this IOnnxExportable model, string path, OnnxExportOptions? options = null)
        => WriteAtomically(path, Build(model, options ?? new OnnxExportOptions()));

    /// <summary>Writes <paramref name="model"/>'s eval-mode graph to <paramref name="stream"/>.</summary>
    /// <exception cref="OnnxExportException">A layer has no ONNX form, or the forward is not the declared chain; nothing is written.</exception>
    public static void ExportOnnx(this IOnnxExportable model, Stream stream, OnnxExportOptions? options = null)
        => Build(model, options ?? new OnnxExportOptions()).WriteTo(stream);

    /// <summary>Writes the ensemble — every member and the aggregation — to <paramref name="path"/>.</summary>
    public static void ExportOnnx<TModel>(this Ensemble<TModel> ensemble, string path, OnnxExportOptions? options = null) where TModel : nn.Module<Tensor, Tensor>, IOnnxExportable
        => WriteAtomically(path, Build(ensemble, options ?? new OnnxExportOptions()));

    /// <summary>Writes the ensemble — every member and the aggregation — to <paramref name="stream"/>.</summary>
    public static void ExportOnnx<TModel>(this Ensemble<TModel> ensemble, Stream stream, OnnxExportOptions? options = null) where TModel : nn.Module<Tensor, Tensor>, IOnnxExportable
        => Build(ensemble, options ?? new OnnxExportOptions()).WriteTo(stream);

    /// <summary>Writes the vectorized ensemble, one subgraph per member sliced from the stacked weights, to <paramref name="path"/>.</summary>
    public static void ExportOnnx(this VectorizedEnsemble ensemble, string path, OnnxExportOptions? options = null)
        => WriteAtomically(path, Build(ensemble, options ?? new OnnxExportOptions()));

    /// <summary>Writes the vectorized ensemble to <paramref name="stream"/>.</summary>
    public static void ExportOnnx(this VectorizedEnsemble ensemble, Stream stream, OnnxExportOptions? options = null)
        => Build(ensemble, options ?? new OnnxExportOptions()).WriteTo(stream);

    private static ModelProto Build(IOnnxExportable model, OnnxExportOptions options)
    {
        if (model is IGraphModel graph) return Build(graph, options);
        nn.Module<Tensor, Tensor> module = model as nn.Module<Tensor, Tensor>
            ?? throw new ArgumentException($"{model.GetType().Name} is not a TorchSharp Module<Tensor, Tensor>", nameof(model));
        string name = module.GetType().Name;
        (ScalarType dtype, Device device) = ParameterTypeOf(module);
        var g = new OnnxGraphBuilder(GraphType(dtype, options)) { SequenceLength = (model as IVariableLengthModel)?.Context };
        using (module.Evaluating())
        {
            string output = Member(g, module, name, model.InputShape, dtype, device, options, "", out long[] outputShape);
            Finish(g, model.InputShape, output, outputShape, model is ITokenModel);
        }
        RefuseOpsWithoutKernel(g, name);
        return Wrap(g, name, model.Summary(), model.InputShape);
    }

    /// <summary>A graph model: named inputs and outputs, joins as ONNX ops (<see cref="GraphExporter"/>).</summary>
    private static ModelProto Build(IGraphModel model, OnnxExportOptions options)
    {
        nn.Module module = model as nn.Module ?? throw new ArgumentException($"{model.GetType().Name} is not a TorchSharp module", nameof(model));
        string name = module.GetType().Name;
        (ScalarType dtype, Device device) = ParameterTypeOf(module);
        var g = new OnnxGraphBuilder(GraphType(dtype, options));
        using (module.Evaluating()) GraphExporter.Write(g, module, model, name, dtype, device, options);
        RefuseOpsWithoutKernel(g, name);
        return Wrap(g, name, model.Summary(), model.InputShape);
    }

    private static ModelProto Build<TModel>(Ensemble<TModel> ensemble, OnnxExportOptions options) where TModel : nn.Module<Tensor, Tensor>, IOnnxExportable
    {
        string name = ensemble.GetType().Name;
        if (ensemble.Members[0] is not IGeneratedModel first)
            throw new OnnxExportException(name, "members.0", $"is a {typeof(TModel).Name}, not a generated model; the exporter needs each member's declared layers");
        (ScalarType dtype, _) = ParameterTypeOf(ensemble.Members[0]);
        var g = new OnnxGraphBuilder(GraphType(dtype, options));
        var outputs = new List<string>();
        long[] memberShape = Array.Empty<long>();
        using (ensemble.Evaluating())
        {
            for (int i = 0; i < ensemble.Members.Count; i++)
            {
                TModel member = ensemble.Members[i];
                (ScalarType memberType, Device device) = ParameterTypeOf(member);
                if (memberType != dtype) throw new OnnxExportException(name, $"members.{i}", $"holds {memberType} parameters, but member 0 holds {dtype}");
                outputs.Add(Member(g, member, $"{name} member {i}", first.InputShape, dtype, device, options, $"members.{i}.", out memberShape));
            }
            string aggregate = AggregationExporter.Write(g, ensemble.Aggregator, outputs, memberShape[^1]);
            Finish(g, first.InputShape, aggregate, memberShape, first is ITokenModel);
        }
        RefuseOpsWithoutKernel(g, name);
        return Wrap(g, name, first.Summary(), first.InputShape);
    }

    private static ModelProto Build(VectorizedEnsemble ensemble, OnnxExportOptions options)
    {
        string name = ensemble.GetType().Name;
        VectorizedDenseStack stack = ensemble.Stack;
        (ScalarType dtype, _) = ParameterTypeOf(stack);
        var g = new OnnxGraphBuilder(GraphType(dtype, options));
        long[] inputShape = { stack.Layers[0].In };
        var writer = new VectorizedMemberExporter(g, stack);
        var outputs = Enumerable.Range(0, stack.Members).Select(i => writer.Write(i, "input")).ToList();
        long[] memberShape = { 2, stack.Layers[^1].Out };
        string aggregate = AggregationExporter.Write(g, ensemble.Aggregator, outputs, memberShape[^1]);
        Finish(g, inputShape, aggregate, memberShape);
        RefuseOpsWithoutKernel(g, name);
        return Wrap(g, name, $"{stack.Members} vectorized members of {stack.Layers.Count} layers", inputShape);
    }

    /// <summary>
    /// The ops this exporter writes that ONNX Runtime's CPU provider has no float64 kernel for (opset 17; measured with
    /// ONNX Runtime 1.31 by PrecisionTests, which runs every exported layer kind in float64): a float64 graph holding one
    /// cannot even be loaded there, so the exporter refuses it unless <see cref="OnnxExportOptions.Float64AsFloat32"/>.
    /// </summary>
    public static IReadOnlyCollection<string> OpsWithoutFloat64Kernel { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "AveragePool", "Conv", "ConvTranspose", "Elu", "Erf", "GlobalAveragePool", "GRU", "HardSigmoid", "HardSwish", "InstanceNormalization", "LSTM", "Mean", "Resize", "Softplus",
    };

    /// <summary>The graph's floating type: the model's, or float32 for a float64 model with <see cref="OnnxExportOptions.Float64AsFloat32"/>.</summary>
    private static ScalarType GraphType(ScalarType model, OnnxExportOptions options)
        => options.Float64AsFloat32 && model == ScalarType.Float64 ? ScalarType.Float32 : model;

    /// <summary>Refuses a float64 graph with an op ONNX Runtime cannot run in float64, naming the op, its node and the dtype.</summary>
    private static void RefuseOpsWithoutKernel(OnnxGraphBuilder g, string model)
    {
        if (g.ElementType != TensorProto.Types.DataType.Double) return;
        foreach (NodeProto node in g.Graph.Node)
        {
            if (!OpsWithoutFloat64Kernel.Contains(node.OpType)) continue;
            throw new OnnxExportException(model, node.Name,
                $"is written as the ONNX op {node.OpType}, which ONNX Runtime has no float64 (double) kernel for, and the model's parameters are float64; "
                + "export it as float32 with new OnnxExportOptions { Float64AsFloat32 = true }, or move the model to float32 first");
        }
    }

    /// <summary>Writes one model's chain after checking it; returns its output value.</summary>
    private static string Member(OnnxGraphBuilder g, nn.Module<Tensor, Tensor> module, string name, IReadOnlyList<long> inputShape,
        ScalarType dtype, Device device, OnnxExportOptions options, string prefix, out long[] outputShape)
    {
        if (module is IGraphModel graph)
        {
            (string value, long[] shape) = GraphExporter.WriteBody(g, module, graph, name, dtype, device, options, prefix, new[] { "input" })[0];
            outputShape = shape;
            return value;
        }
        IReadOnlyList<ChainLink> chain = ModuleChain.Of(module, name, inputShape, dtype, device, options.VerifyForward, out outputShape);
        // Token models: the padding mask is the tokens equal to the padding id, computed once as in the generated forward.
        string? mask = module is ITokenModel { PaddingIndex: { } padding } && chain.Any(link => link.Masked)
            ? g.Node("Equal", prefix + "padding_mask", new[] { "input", g.Int64Constant(prefix + "padding_index", new[] { padding }) })
            : null;
        return new LayerExporter(g, name, options).Write(chain, "input", prefix, mask);
    }

    /// <summary>Declares the graph's input (Int64 token ids for <paramref name="tokens"/>) and its output (an Identity named <c>output</c> after the last value).</summary>
    private static void Finish(OnnxGraphBuilder g, IReadOnlyList<long> inputShape, string last, long[] outputShapeWithBatch, bool tokens = false)
    {
        g.Graph.Input.Add(g.Value("input", inputShape, tokens ? TensorProto.Types.DataType.Int64 : null));
        g.Node("Identity", "output", new[] { last });
        g.Graph.Output.Add(g.Value("output", outputShapeWithBatch.Skip(1).ToArray()));
    }

    private static ModelProto Wrap(OnnxGraphBuilder g, string name, string summary, IReadOnlyList<long> inputShape)
    {
        g.Graph.Name = name;
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "ModelDsl",
            ProducerVersion = typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "",
            DocString = summary,
            Graph = g.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "modeldsl.model", Value = name });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "modeldsl.input_shape", Value = ShapeMismatchException.Format(inputShape) });
        return model;
    }

    private static (ScalarType, Device) ParameterTypeOf(nn.Module module)
    {
        foreach (Parameter p in module.parameters())
        {
            if (p.is_floating_point()) return (p.dtype, p.device);
        }
        return (ScalarType.Float32, CPU);
    }

    /// <summary>Writes beside the target and renames over it, so readers never see a half-written file.</summary>
    private static void WriteAtomically(string path, ModelProto model)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"ONNX export: the folder '{directory}' for '{path}' does not exist");
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                model.WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
