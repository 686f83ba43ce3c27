using System;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using ModelDsl.Onnx;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Onnx.Tests
{
    /// <summary>Token models: Int64 ids in, the embedding as Gather, the padding mask as Equal, masked attention and mean.</summary>
    public class TokenExportTests
    {
        [Theory]
        [InlineData("padded pre-LN")]
        [InlineData("padded post-LN in a block")]
        [InlineData("no padding id")]
        [InlineData("padded LSTM")]
        [InlineData("padded graph")]
        public void Token_models_give_the_same_outputs_in_onnx_runtime_padded_or_not(string name)
        {
            (nn.Module<Tensor, Tensor> module, ITokenModel tokens) = name switch
            {
                "padded pre-LN" => Of(new OnnxTokenModels.PaddedEncoder(seed: 1)),
                "padded post-LN in a block" => Of(new OnnxTokenModels.BlockEncoder(seed: 2)),
                "no padding id" => Of(new OnnxTokenModels.UnpaddedEncoder(seed: 3)),
                "padded graph" => Of(new OnnxTokenModels.TwoBranchTokens(seed: 10)),
                _ => Of(new OnnxTokenModels.TokenLstm(seed: 4)),
            };
            byte[] onnx = OrtRun.Export(s => ((IOnnxExportable)module).ExportOnnx(s));
            using InferenceSession session = OrtRun.Session(onnx);
            Assert.Equal(typeof(long), session.InputMetadata["input"].ElementType);
            Assert.Equal(new[] { -1, (int)tokens.InputShape[0] }, session.InputMetadata["input"].Dimensions);

            foreach (long batch in new long[] { 1, 9 })
            {
                using var scope = NewDisposeScope();
                long steps = tokens.InputShape[0];
                Tensor ids = randint(0, tokens.Vocabulary, new[] { batch, steps }, ScalarType.Int64, generator: new Generator((ulong)(40 + batch)));
                if (tokens.PaddingIndex is { } padding)
                {
                    // Row i ends in i % (T + 1) padding ids (none, one, …, all of them), and a padding id inside the sequence stays one.
                    for (long i = 0; i < batch; i++) ids[i, TensorIndex.Slice(steps - i % (steps + 1))] = tensor(padding);
                }
                Tensor expected;
                using (module.Evaluating()) expected = module.forward(ids);
                Tensor actual = Run(session, ids);
                double scale = Math.Max(1, expected.abs().max().item<float>());
                double error = (actual - expected).abs().max().item<float>();
                Assert.True(error <= OrtRun.Tolerance * scale, $"{name} at batch {batch}: max |ORT − TorchSharp| = {error:G3}");
            }
        }

        [Fact]
        public void The_padding_mask_reaches_every_mask_reading_layer_of_a_graph()
            => Assert.Equal(new[] { "left.encoder", "right.encoder", "head.timepool" }, new OnnxTokenModels.TwoBranchTokens(seed: 1).PaddingMaskedLayers);

        [Fact]
        public void A_soft_vote_ensemble_of_padded_token_models_exports_with_one_int64_input()
        {
            var ensemble = new OnnxTokenModels.VotingTokenClassifierEnsemble(seed: 5);
            byte[] onnx = OrtRun.Export(s => ensemble.ExportOnnx(s));
            using InferenceSession session = OrtRun.Session(onnx);
            Assert.Equal(typeof(long), session.InputMetadata["input"].ElementType);
            using var scope = NewDisposeScope();
            Tensor ids = randint(1, 16, new long[] { 5, 6 }, ScalarType.Int64, generator: new Generator(50));
            ids[2, TensorIndex.Slice(3)] = tensor(0L);
            Tensor expected;
            using (ensemble.Evaluating()) expected = ensemble.forward(ids);
            Assert.True(Run(session, ids).allclose(expected, rtol: 0, atol: 1e-5));
        }

        /// <summary>
        /// Issue #23: the model refuses a token id outside [0, V), but ONNX Gather reads −1 as the last row, so the
        /// exported graph answered where the model does not. The graph maps negative ids past the table, and ONNX
        /// Runtime's Gather refuses them as it refuses ids ≥ V: the run fails, as the model's forward does.
        /// </summary>
        [Theory]
        [InlineData(-1L)]
        [InlineData(-40L)]
        [InlineData(40L)]
        [InlineData(long.MinValue)]
        public void A_token_id_outside_the_vocabulary_fails_in_onnx_runtime_as_in_the_model(long id)
        {
            var model = new OnnxTokenModels.PaddedEncoder(seed: 1); // vocabulary 40
            byte[] onnx = OrtRun.Export(s => model.ExportOnnx(s));
            using InferenceSession session = OrtRun.Session(onnx);
            using var scope = NewDisposeScope();
            Tensor ids = randint(1, 40, new long[] { 2, 7 }, ScalarType.Int64, generator: new Generator(60));
            Run(session, ids); // in-range ids run
            ids[1, 3] = tensor(id);
            using (model.Evaluating()) Assert.ThrowsAny<Exception>(() => model.forward(ids));
            var refused = Assert.Throws<OnnxRuntimeException>(() => Run(session, ids));
            Assert.Contains("out of", refused.Message, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>A causal model's scores of later keys are −∞ in the graph too: ORT equals the model, and changing a later token changes no earlier logit.</summary>
        [Theory]
        [InlineData("variable length")]
        [InlineData("fixed length, post-LN")]
        public void A_causal_model_exports_with_its_mask(string name)
        {
            (nn.Module<Tensor, Tensor> module, ITokenModel tokens) = name == "variable length" ? Of(new OnnxTokenModels.CausalGpt(seed: 6)) : Of(new OnnxTokenModels.FixedCausal(seed: 7));
            byte[] onnx = OrtRun.Export(s => ((IOnnxExportable)module).ExportOnnx(s));
            using InferenceSession session = OrtRun.Session(onnx);
            using var scope = NewDisposeScope();
            long steps = tokens.InputShape[0];
            Tensor ids = randint(0, tokens.Vocabulary, new[] { 3L, steps }, ScalarType.Int64, generator: new Generator(70));
            Tensor expected;
            using (module.Evaluating()) expected = module.forward(ids);
            Tensor actual = Run(session, ids);
            double error = (actual - expected).abs().max().item<float>();
            Assert.True(error <= OrtRun.Tolerance * Math.Max(1, expected.abs().max().item<float>()), $"{name}: max |ORT − TorchSharp| = {error:G3}");
            Tensor changed = ids.clone();
            changed[.., -1] = (changed[.., -1] + 1) % tokens.Vocabulary;
            Assert.True(Run(session, changed).narrow(1, 0, steps - 1).allclose(actual.narrow(1, 0, steps - 1), rtol: 0, atol: 1e-6));
        }

        /// <summary>A model of variable length exports with a dynamic sequence axis: ORT runs every length up to the context and equals the model.</summary>
        [Fact]
        public void A_model_of_variable_length_exports_with_a_dynamic_sequence_axis()
        {
            var model = new OnnxTokenModels.CausalGpt(seed: 9);
            byte[] onnx = OrtRun.Export(s => model.ExportOnnx(s));
            using InferenceSession session = OrtRun.Session(onnx);
            Assert.Equal(new[] { -1, -1 }, session.InputMetadata["input"].Dimensions);
            Assert.Equal(new[] { -1, -1, 20 }, session.OutputMetadata["output"].Dimensions);
            foreach (long steps in new long[] { 1, 4, 6 })
            {
                using var scope = NewDisposeScope();
                Tensor ids = randint(0, 20, new[] { 2L, steps }, ScalarType.Int64, generator: new Generator((ulong)(80 + steps)));
                Tensor expected;
                using (model.Evaluating()) expected = model.forward(ids);
                Tensor actual = Run(session, ids);
                Assert.Equal(expected.shape, actual.shape);
                Assert.True(actual.allclose(expected, rtol: 0, atol: OrtRun.Tolerance * Math.Max(1, expected.abs().max().item<float>())), $"length {steps}");
            }
        }

        /// <summary>
        /// A causal model with a padding id exports with one mask of later and padding keys: a step whose earlier keys are
        /// all padding (left padding, a row of padding only) reads itself, as the runtime's attention does, so ORT equals
        /// TorchSharp on right-, left- and fully-padded rows.
        /// </summary>
        [Fact]
        public void A_causal_model_with_a_padding_id_exports_left_and_right_padding_alike()
        {
            var model = new OnnxTokenModels.PaddedCausal(seed: 8);
            byte[] onnx = OrtRun.Export(s => model.ExportOnnx(s));
            using InferenceSession session = OrtRun.Session(onnx);
            using var scope = NewDisposeScope();
            long steps = model.InputShape[0], padding = model.PaddingIndex!.Value;
            Tensor ids = randint(1, model.Vocabulary, new[] { 4L, steps }, ScalarType.Int64, generator: new Generator(71));
            ids[1, TensorIndex.Slice(steps - 2)] = tensor(padding); // right padding
            ids[2, TensorIndex.Slice(null, 3)] = tensor(padding);   // left padding: steps 0–2 read only themselves
            ids[3] = tensor(padding);                               // all padding
            Tensor expected;
            using (model.Evaluating()) expected = model.forward(ids);
            Tensor actual = Run(session, ids);
            Assert.True(expected.isfinite().all().item<bool>());
            double error = (actual - expected).abs().max().item<float>();
            Assert.True(error <= OrtRun.Tolerance * Math.Max(1, expected.abs().max().item<float>()), $"max |ORT − TorchSharp| = {error:G3}");
        }

        private static (nn.Module<Tensor, Tensor>, ITokenModel) Of<T>(T model) where T : nn.Module<Tensor, Tensor>, ITokenModel => (model, model);

        private static Tensor Run(InferenceSession session, Tensor ids)
        {
            long[] data = ids.contiguous().data<long>().ToArray();
            using var value = OrtValue.CreateTensorValueFromMemory(data, ids.shape);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, new[] { "input" }, new[] { value }, new[] { "output" });
            return tensor(outputs[0].GetTensorDataAsSpan<float>().ToArray()).reshape(outputs[0].GetTensorTypeAndShape().Shape);
        }
    }
}

namespace OnnxTokenModels
{
    using ModelDsl;

    [Model(7)]
    [Embedding(40, 8, PaddingIndex = 0), PositionalEncoding(Learned = true)]
    [TransformerEncoder(2, 16, Layers = 2, Activation = Activation.GELU)]
    [GlobalAvgPool1d, Dense(3)]
    public partial class PaddedEncoder { }

    [Model(6)]
    [Embedding(25, 8, PaddingIndex = 24), PositionalEncoding]
    public partial class BlockEncoder
    {
        [TransformerEncoder(4, 16, NormFirst = false), GlobalAvgPool1d]
        public partial Sequential Body { get; }

        [Dense(2)]
        public partial Sequential Head { get; }
    }

    /// <summary>The padding mask through a graph: both branches and the pooling after their concatenation read it.</summary>
    [Model(7)]
    public partial class TwoBranchTokens
    {
        [Embedding(20, 8, PaddingIndex = 0), PositionalEncoding] public partial Sequential Tokens { get; }
        [TransformerEncoder(2, 16)] public partial Sequential Left { get; }
        [From(nameof(Tokens)), TransformerEncoder(2, 16, NormFirst = false)] public partial Sequential Right { get; }
        [Concatenate(nameof(Left), nameof(Right)), GlobalAvgPool1d, Dense(3)] public partial Sequential Head { get; }
    }

    [Model(Context = 6)]
    [Embedding(20, 8), PositionalEncoding(Learned = true)]
    [TransformerEncoder(2, 16, Layers = 2, Causal = true, Activation = Activation.GELU)]
    [Dense(20, TiedToEmbedding = true)]
    public partial class CausalGpt { }

    [Model(5)]
    [Embedding(20, 8), PositionalEncoding, TransformerEncoder(2, 16, Causal = true, NormFirst = false), Dense(20)]
    public partial class FixedCausal { }

    [Model(5)]
    [Embedding(20, 8, PaddingIndex = 0), TransformerEncoder(2, 16, Causal = true), Dense(20)]
    public partial class PaddedCausal { }

    [Model(5)]
    [Embedding(12, 4), TransformerEncoder(2, 8)]
    [GlobalAvgPool1d, Dense(2)]
    public partial class UnpaddedEncoder { }

    [Model(6)]
    [Embedding(16, 8, PaddingIndex = 0), TransformerEncoder(2, 16)]
    [GlobalAvgPool1d, Dense(3)]
    [Ensemble(3, Aggregation = Aggregation.SoftVote)]
    public partial class VotingTokenClassifier { }

    // MD0067: the LSTM reads the padding steps as data; exported all the same (no layer reads the mask).
#pragma warning disable MD0067
    [Model(6)]
    [Embedding(30, 6, PaddingIndex = 0), LSTM(5)]
    [Dense(2)]
    public partial class TokenLstm { }
#pragma warning restore MD0067
}
