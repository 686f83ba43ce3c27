using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Google.Protobuf;
using ModelDsl.Onnx.Proto;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

/// <summary>
/// Builds one ONNX graph: value names kept unique, weights stored as initializers (raw little-endian data, the
/// spec's compact form), nodes appended in topological order as they are written. All floating tensors of a graph
/// share one element type, the model's parameter dtype.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(ScalarType dtype)
    {
        ElementType = dtype switch
        {
            ScalarType.Float32 => TensorProto.Types.DataType.Float,
            ScalarType.Float64 => TensorProto.Types.DataType.Double,
            _ => throw new NotSupportedException($"ONNX export writes float32 or float64 models, but the model's parameters are {dtype}"),
        };
        DType = dtype;
    }

    /// <summary>The graph's floating element type.</summary>
    public TensorProto.Types.DataType ElementType { get; }

    /// <summary>The TorchSharp dtype matching <see cref="ElementType"/>.</summary>
    public ScalarType DType { get; }

    public GraphProto Graph { get; } = new();

    /// <summary>A value name not used yet: <paramref name="wanted"/>, or it with a numeric suffix.</summary>
    public string Unique(string wanted)
    {
        string name = wanted;
        for (int i = 1; !names.Add(name); i++) name = wanted + "_" + i;
        return name;
    }

    /// <summary>Declares a graph input or output [batch, …shape] with a symbolic batch dimension, of the graph's dtype unless <paramref name="elementType"/> says otherwise.</summary>
    public ValueInfoProto Value(string name, IReadOnlyList<long> shapeWithoutBatch, TensorProto.Types.DataType? elementType = null)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        for (int i = 0; i < shapeWithoutBatch.Count; i++)
        {
            long d = shapeWithoutBatch[i];
            shape.Dim.Add(i == 0 && d == SequenceLength ? new TensorShapeProto.Types.Dimension { DimParam = "sequence" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)(elementType ?? ElementType), Shape = shape } },
        };
    }

    /// <summary>
    /// The declared T of a model of variable length (<see cref="IVariableLengthModel"/>), whose sequence axis is dynamic:
    /// inputs and outputs whose first dimension after the batch is T get the symbolic dimension <c>sequence</c>, and
    /// layers that depend on the length (positional encoding) read it from their input. Null for a fixed shape.
    /// </summary>
    public long? SequenceLength { get; set; }

    /// <summary>Stores <paramref name="tensor"/> (converted to the graph's dtype) as an initializer; returns its name.</summary>
    public string Initializer(string wanted, Tensor tensor)
    {
        string name = Unique(wanted);
        using var scope = NewDisposeScope();
        Tensor data = tensor.detach().to(DType, CPU).contiguous();
        var proto = new TensorProto { Name = name, DataType = (int)ElementType };
        proto.Dims.AddRange(data.shape);
        proto.RawData = DType == ScalarType.Float32
            ? ByteString.CopyFrom(MemoryMarshal.AsBytes<float>(data.data<float>().ToArray()))
            : ByteString.CopyFrom(MemoryMarshal.AsBytes<double>(data.data<double>().ToArray()));
        Graph.Initializer.Add(proto);
        return name;
    }

    /// <summary>A floating constant of the graph's dtype with the given shape.</summary>
    public string Constant(string wanted, double[] values, params long[] dims)
    {
        using var scope = NewDisposeScope();
        return Initializer(wanted, tensor(values, DType).reshape(dims));
    }

    /// <summary>A float32 constant whatever the graph's dtype (Resize's scales, which ONNX types as float only).</summary>
    public string Float32Constant(string wanted, float[] values, params long[] dims)
    {
        string name = Unique(wanted);
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(dims);
        proto.FloatData.AddRange(values);
        Graph.Initializer.Add(proto);
        return name;
    }

    /// <summary>An int64 constant (shapes, axes, class indices).</summary>
    public string Int64Constant(string wanted, long[] values, params long[] dims)
    {
        string name = Unique(wanted);
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        proto.Dims.AddRange(dims);
        proto.Int64Data.AddRange(values);
        Graph.Initializer.Add(proto);
        return name;
    }

    /// <summary>Appends a node; returns the name of its (single) output.</summary>
    public string Node(string opType, string output, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        string name = Unique(output);
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(name);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return name;
    }

    /// <summary>Appends a node with several outputs (LSTM's Y and Y_h); returns their names in order.</summary>
    public string[] Node(string opType, string name, IEnumerable<string> inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Unique(name) };
        node.Input.AddRange(inputs);
        string[] unique = outputs.Select(Unique).ToArray();
        node.Output.AddRange(unique);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return unique;
    }

    public static AttributeProto Int(string name, long value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, double value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)value };

    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Text(string name, string value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>Ones of length <paramref name="count"/> (the identity scale of a norm without affine parameters).</summary>
    public string Ones(string wanted, long count) => Constant(wanted, Enumerable.Repeat(1.0, checked((int)count)).ToArray(), count);

    /// <summary>Zeros of length <paramref name="count"/>.</summary>
    public string Zeros(string wanted, long count) => Constant(wanted, new double[checked((int)count)], count);
}
