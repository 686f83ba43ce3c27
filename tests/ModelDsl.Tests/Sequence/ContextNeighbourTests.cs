using ModelDsl.Tests.Sequence.Neighbours;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Sequence
{
    /// <summary>Neighbours of the language-model surface no other test names: an ensemble of variable-length models, and a padded causal model generating.</summary>
    public class ContextNeighbourTests
    {
        [Fact]
        public void An_ensemble_of_variable_length_models_reads_shorter_inputs()
        {
            using var scope = NewDisposeScope();
            var ensemble = new TaggerEnsemble(seed: 1);
            ensemble.eval();
            foreach (long t in new long[] { 1, 5, 10 })
                Assert.Equal(new[] { 2L, t, 4L }, ensemble.forward(randint(1, 30, new[] { 2L, t }, ScalarType.Int64)).shape);
        }

        [Fact]
        public void A_padded_causal_model_generates_the_same_tokens_with_and_without_the_cache()
        {
            using var scope = NewDisposeScope();
            var gpt = new PaddedGpt(seed: 2);
            Tensor prompt = tensor(new long[] { 3, 4, 5 }).reshape(1, 3);
            Assert.True((gpt.Generate(prompt, 12, seed: 3) == gpt.Generate(prompt, 12, seed: 3, useCache: false)).all().item<bool>());
        }
    }
}

namespace ModelDsl.Tests.Sequence.Neighbours
{
    [Model(Context = 10)]
    [Embedding(30, 8, PaddingIndex = 0), PositionalEncoding, TransformerEncoder(2, 16), Dense(4)]
    [Ensemble(3, Seed = 1)]
    public partial class Tagger { }

    [Model(Context = 8)]
    [Embedding(20, 8, PaddingIndex = 0), PositionalEncoding(Learned = true), TransformerEncoder(2, 16, Causal = true), Dense(20, TiedToEmbedding = true)]
    public partial class PaddedGpt { }
}
