using System.Collections.Generic;
using System.Linq;
using ModelDsl.Kinds;
using ModelDsl.Onnx;
using ModelDsl.Onnx.Proto;
using static ModelDsl.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace ModelDsl;

// What the runtime knows about the LSTM/GRU layer as a layer kind.
public sealed partial class Recurrent : IOnnxLayer
{
    /// <summary>
    /// libtorch applies the dropout between stacked layers in training, drawing its masks from the global generator;
    /// with one layer there is nothing between and it draws nothing. Its cell (TorchSharp's LSTM or GRU child) is not in
    /// <see cref="TorchLayerKinds"/>: this layer answers for it.
    /// </summary>
    bool ILayerKind.DrawsFromGlobalGenerator => Dropout > 0 && Layers > 1;

    bool ILayerKind.HasBatchStatistics => false;

    RunningStatistics? ILayerKind.RunningStatistics => null;

    /// <summary>
    /// ONNX LSTM/GRU nodes, one per stacked layer, sequence-first ([T, B, F]; Transposes around them). ONNX orders the
    /// gates differently from PyTorch — LSTM i, o, f, c against PyTorch's i, f, g, o; GRU z, r, h against r, z, n — so the
    /// gate blocks of every weight and bias are reordered; the GRU uses linear_before_reset = 1, PyTorch's form
    /// n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn)). Between layers dropout is the identity in eval.
    /// </summary>
    string IOnnxLayer.ExportOnnx(LayerExportContext context, string name, string input)
    {
        OnnxGraphBuilder g = context.Graph;
        bool lstm = Kind == RecurrentKind.LSTM;
        long[] order = lstm ? new long[] { 0, 3, 1, 2 } : new long[] { 1, 0, 2 };
        string[] directions = Bidirectional ? new[] { "", "_reverse" } : new[] { "" };
        long hidden = HiddenSize;
        using var scope = NewDisposeScope();
        Tensor Reordered(Tensor t) => cat(order.Select(gate => t.narrow(0, gate * hidden, hidden)).ToArray(), 0);

        string sequence = g.Node("Transpose", name + ".time_first", new[] { input }, Ints("perm", new long[] { 1, 0, 2 }));
        string lastHidden = sequence;
        for (long layer = 0; layer < Layers; layer++)
        {
            string l = $"{name}.l{layer}";
            Tensor w = stack(directions.Select(d => Reordered(Parameter($"weight_ih_l{layer}{d}"))).ToArray());
            Tensor r = stack(directions.Select(d => Reordered(Parameter($"weight_hh_l{layer}{d}"))).ToArray());
            Tensor b = stack(directions.Select(d => cat(new[] { Reordered(Parameter($"bias_ih_l{layer}{d}")), Reordered(Parameter($"bias_hh_l{layer}{d}")) }, 0)).ToArray());
            var attributes = new List<AttributeProto> { Int("hidden_size", hidden), Text("direction", Bidirectional ? "bidirectional" : "forward") };
            if (!lstm) attributes.Add(Int("linear_before_reset", 1));
            string[] outputs = g.Node(lstm ? "LSTM" : "GRU", l, new[] { sequence, g.Initializer(l + ".W", w), g.Initializer(l + ".R", r), g.Initializer(l + ".B", b) },
                new[] { l + ".Y", l + ".Y_h" }, attributes.ToArray());
            lastHidden = outputs[1];                                                                       // [D, B, H]
            // Y [T, D, B, H] → [T, B, D·H], the next layer's input (and the sequence output).
            string stepsFirst = g.Node("Transpose", l + ".steps", new[] { outputs[0] }, Ints("perm", new long[] { 0, 2, 1, 3 }));
            sequence = g.Node("Reshape", l + ".sequence", new[] { stepsFirst, g.Int64Constant(l + ".sequence_shape", new long[] { 0, 0, -1 }, 3) });
        }
        if (ReturnSequences) return g.Node("Transpose", name, new[] { sequence }, Ints("perm", new long[] { 1, 0, 2 }));
        string batchFirst = g.Node("Transpose", name + ".batch_first", new[] { lastHidden }, Ints("perm", new long[] { 1, 0, 2 }));
        return g.Node("Reshape", name, new[] { batchFirst, g.Int64Constant(name + ".last_shape", new long[] { 0, -1 }, 2) });
    }
}
