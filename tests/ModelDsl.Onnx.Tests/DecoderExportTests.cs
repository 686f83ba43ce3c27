using System;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using ModelDsl.Onnx.Tests.Decoders;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Onnx.Tests.Decoders
{
    /// <summary>An encoder–decoder over two token inputs with their own padding ids, pre-LN.</summary>
    [Model]
    [Input("source", 7)]
    [Input("target", 6)]
    public partial class Translator
    {
        [From("source"), Embedding(15, 8, PaddingIndex = 0), PositionalEncoding, TransformerEncoder(2, 16)]
        public partial Sequential Encoder { get; }

        [From("target"), Embedding(12, 8, PaddingIndex = 11), PositionalEncoding(Learned = true), TransformerDecoder(2, 16, Memory = nameof(Encoder), Layers = 2, Activation = Activation.GELU), Dense(12)]
        public partial Sequential Decoder { get; }
    }

    /// <summary>Post-LN, the memory from a float input (no memory mask): a caption decoder over image features.</summary>
    [Model]
    [Input("features", 4, 6)]
    [Input("caption", 5)]
    public partial class Captioner
    {
        [From("features"), Dense(8)] public partial Sequential Memory { get; }

        [From("caption"), Embedding(20, 8, PaddingIndex = 0), TransformerDecoder(4, 16, Memory = nameof(Memory), NormFirst = false), Dense(20)]
        public partial Sequential Words { get; }
    }
}

namespace ModelDsl.Onnx.Tests
{
    /// <summary>
    /// [TransformerDecoder] models in ONNX Runtime: two inputs (Int64 token ids, or floats), each token input's padding mask,
    /// the causal self-attention and the cross-attention over another value equal TorchSharp on right-, left- and fully
    /// padded rows.
    /// </summary>
    public class DecoderExportTests
    {
        [Fact]
        public void An_encoder_decoder_gives_the_same_outputs_in_onnx_runtime_with_padding_on_both_sides()
        {
            var model = new Translator(seed: 1);
            byte[] onnx = OrtRun.Export(s => model.ExportOnnx(s));
            using InferenceSession session = OrtRun.Session(onnx);
            Assert.Equal(typeof(long), session.InputMetadata["source"].ElementType);
            Assert.Equal(typeof(long), session.InputMetadata["target"].ElementType);
            using var scope = NewDisposeScope();
            Tensor source = randint(1, 15, new long[] { 4, 7 }, ScalarType.Int64, generator: new Generator(2));
            Tensor target = randint(0, 11, new long[] { 4, 6 }, ScalarType.Int64, generator: new Generator(3));
            source[1, TensorIndex.Slice(3)] = tensor(0L);        // right padding
            source[2] = tensor(0L);                              // a source of padding only: its queries read every memory step
            target[2, TensorIndex.Slice(4)] = tensor(11L);       // right padding
            target[3, TensorIndex.Slice(null, 2)] = tensor(11L); // left padding: steps 0–1 read only themselves
            Tensor expected;
            using (model.Evaluating()) expected = model.forward(source, target);
            Assert.True(expected.isfinite().all().item<bool>());
            Tensor actual = Run(session, ("source", source), ("target", target));
            AssertClose(expected, actual);
        }

        [Fact]
        public void A_caption_decoder_over_a_float_input_gives_the_same_outputs_in_onnx_runtime()
        {
            var model = new Captioner(seed: 4);
            byte[] onnx = OrtRun.Export(s => model.ExportOnnx(s));
            using InferenceSession session = OrtRun.Session(onnx);
            Assert.Equal(typeof(float), session.InputMetadata["features"].ElementType);
            Assert.Equal(typeof(long), session.InputMetadata["caption"].ElementType);
            using var scope = NewDisposeScope();
            Tensor features = randn(new long[] { 3, 4, 6 }, generator: new Generator(5));
            Tensor caption = randint(1, 20, new long[] { 3, 5 }, ScalarType.Int64, generator: new Generator(6));
            caption[1, TensorIndex.Slice(2)] = tensor(0L);
            Tensor expected;
            using (model.Evaluating()) expected = model.forward(features, caption);
            AssertClose(expected, Run(session, ("features", features), ("caption", caption)));
        }

        private static void AssertClose(Tensor expected, Tensor actual)
        {
            Assert.Equal(expected.shape, actual.shape);
            double error = (actual - expected).abs().max().item<float>();
            Assert.True(error <= OrtRun.Tolerance * Math.Max(1, expected.abs().max().item<float>()), $"max |ORT − TorchSharp| = {error:G3}");
        }

        /// <summary>Runs the session on named inputs (Int64 token ids or float32) and returns its one output.</summary>
        private static Tensor Run(InferenceSession session, params (string Name, Tensor Value)[] inputs)
        {
            var values = inputs.Select(i => i.Value.dtype == ScalarType.Int64
                ? OrtValue.CreateTensorValueFromMemory(i.Value.contiguous().data<long>().ToArray(), i.Value.shape)
                : OrtValue.CreateTensorValueFromMemory(i.Value.contiguous().data<float>().ToArray(), i.Value.shape)).ToArray();
            try
            {
                using var runOptions = new RunOptions();
                using var outputs = session.Run(runOptions, inputs.Select(i => i.Name).ToArray(), values, new[] { "output" });
                return tensor(outputs[0].GetTensorDataAsSpan<float>().ToArray()).reshape(outputs[0].GetTensorTypeAndShape().Shape);
            }
            finally
            {
                foreach (OrtValue value in values) value.Dispose();
            }
        }
    }
}
