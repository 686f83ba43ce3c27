using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Sequence;

/// <summary>Weight decay on sequence layers: recurrent and attention weights in their layer's group, biases and norms by request, embeddings left out unless asked.</summary>
[Model(6)]
[WeightDecay(L2 = 0.01)]
[WeightDecay("attention", L2 = 0.1, L1 = 0.001, IncludeNorm = true)]
[Embedding(20, 8), LSTM(4, ReturnSequences = true, Bidirectional = true)]
[TransformerEncoder(2, 16, Group = "attention")]
[GlobalAvgPool1d, Dense(2)]
public partial class DecayedSequence { }

[Model(6)]
[WeightDecay(L2 = 0.01, IncludeBias = true, IncludeEmbedding = true)]
[Embedding(20, 8), GRU(4)]
[Dense(2)]
public partial class DecayedEverything { }

public class SequenceWeightDecayTests
{
    private static readonly string[] RecurrentWeights = { "lstm.rnn.weight_ih_l0", "lstm.rnn.weight_hh_l0", "lstm.rnn.weight_ih_l0_reverse", "lstm.rnn.weight_hh_l0_reverse" };

    private static readonly string[] AttentionWeights =
        { "encoder.layers.0.self_attn.in_proj_weight", "encoder.layers.0.self_attn.out_proj.weight", "encoder.layers.0.linear1.weight", "encoder.layers.0.linear2.weight" };

    private static readonly string[] AttentionNorms =
        { "encoder.layers.0.norm1.weight", "encoder.layers.0.norm1.bias", "encoder.layers.0.norm2.weight", "encoder.layers.0.norm2.bias", "encoder.norm.weight", "encoder.norm.bias" };

    [Fact]
    public void Recurrent_and_attention_weights_join_their_groups_and_embeddings_and_biases_stay_out()
    {
        using var scope = NewDisposeScope();
        var model = new DecayedSequence(seed: 1);
        var p = model.state_dict();
        double Squares(params string[] names) => names.Sum(n => p[n].pow(2).sum().item<float>());
        double Absolutes(params string[] names) => names.Sum(n => p[n].abs().sum().item<float>());

        // Penalty = Σ (λ2/2)·‖w‖² + λ1·‖w‖₁ over exactly the named parameters (a missing or extra name changes the sum).
        double expected = 0.01 / 2 * Squares(RecurrentWeights.Append("dense.weight").ToArray())
                        + 0.1 / 2 * Squares(AttentionWeights.Concat(AttentionNorms).ToArray()) + 0.001 * Absolutes(AttentionWeights.Concat(AttentionNorms).ToArray());
        Assert.Equal(expected, model.Penalty().item<float>(), 4);

        var groups = model.ParameterGroups().ToDictionary(g => g.Name);
        Assert.Equal(5, groups["default"].Parameters.Count);
        Assert.Equal(10, groups["attention"].Parameters.Count);
        Assert.Equal(0.1, groups["attention"].WeightDecay);
        long Elements(string group) => groups[group].Parameters.Sum(x => x.numel());
        Assert.Equal(RecurrentWeights.Append("dense.weight").Sum(n => p[n].numel()), Elements("default"));
        Assert.Equal(AttentionWeights.Concat(AttentionNorms).Sum(n => p[n].numel()), Elements("attention"));
    }

    [Fact]
    public void IncludeEmbedding_and_IncludeBias_add_the_table_and_the_recurrent_biases()
    {
        using var scope = NewDisposeScope();
        var model = new DecayedEverything(seed: 2);
        var p = model.state_dict();
        string[] names = { "embedding.weight", "gru.rnn.weight_ih_l0", "gru.rnn.weight_hh_l0", "gru.rnn.bias_ih_l0", "gru.rnn.bias_hh_l0", "dense.weight", "dense.bias" };
        Assert.Equal(p.Count, names.Length); // every parameter is decayed here
        Assert.Equal(0.01 / 2 * names.Sum(n => p[n].pow(2).sum().item<float>()), model.Penalty().item<float>(), 4);
    }
}
