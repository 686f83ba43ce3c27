using System;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Ensembles;

/// <summary>The 5.7 rules on hand-made member outputs whose aggregates are worked out by hand.</summary>
public class AggregationTests
{
    // Three members, two samples, two outputs: stacked [k=3, B=2, 2].
    private static Tensor Regression() => tensor(new float[]
    {
        1, 2,   3, 4,
        3, 6,   5, 0,
        5, 1,   1, 2,
    }).reshape(3, 2, 2);

    [Fact]
    public void Mean_averages_over_members()
    {
        using var scope = NewDisposeScope();
        float[] mean = Aggregations.Mean(Regression()).data<float>().ToArray();
        Assert.Equal(new float[] { 3, 3, 3, 2 }, mean);
    }

    [Fact]
    public void Weighted_mean_uses_the_given_weights_and_the_aggregator_normalizes_fixed_weights()
    {
        using var scope = NewDisposeScope();
        float[] direct = Aggregations.WeightedMean(Regression(), tensor(new float[] { 0.5f, 0.25f, 0.25f })).data<float>().ToArray();
        // 0.5·(1,2,3,4) + 0.25·(3,6,5,0) + 0.25·(5,1,1,2)
        Assert.Equal(new float[] { 2.5f, 2.75f, 3f, 2.5f }, direct);

        var aggregator = new EnsembleAggregator(3, Aggregation.WeightedMean, weights: new[] { 2.0, 1.0, 1.0 });
        Assert.Equal(direct, aggregator.forward(Regression()).data<float>().ToArray());
    }

    [Fact]
    public void Learned_weights_start_equal_are_non_negative_sum_to_one_and_receive_gradients()
    {
        using var scope = NewDisposeScope();
        var aggregator = new EnsembleAggregator(3, Aggregation.WeightedMean);
        Assert.Single(aggregator.parameters());
        Assert.Equal(Aggregations.Mean(Regression()).data<float>().ToArray(), aggregator.forward(Regression()).data<float>().ToArray(), new FloatTolerance(1e-6f));

        aggregator.forward(Regression()).sum().backward();
        Assert.True(aggregator.parameters().Single().grad!.abs().sum().ToDouble() > 0);
        using (no_grad()) aggregator.parameters().Single().copy_(tensor(new float[] { 5, -3, 0 }));
        float[] w = aggregator.Weights!.data<float>().ToArray();
        Assert.All(w, v => Assert.True(v >= 0));
        Assert.Equal(1.0, w.Sum(), 5);
    }

    [Fact]
    public void Soft_vote_is_the_mean_of_member_probabilities_for_each_output_kind()
    {
        using var scope = NewDisposeScope();
        var probabilities = tensor(new float[] { 0.7f, 0.3f, 0.2f, 0.8f, 0.9f, 0.1f }).reshape(3, 1, 2);
        float[] expected = { 0.6f, 0.4f };
        Assert.Equal(expected, Aggregations.SoftVote(probabilities, MemberOutput.Probabilities).data<float>().ToArray(), new FloatTolerance(1e-6f));
        Assert.Equal(expected, Aggregations.SoftVote(probabilities.log(), MemberOutput.LogProbabilities).data<float>().ToArray(), new FloatTolerance(1e-6f));
        // Logits that differ from the log-probabilities by a per-member constant have the same softmax.
        var logits = probabilities.log() + tensor(new float[] { 3, -1, 7 }).reshape(3, 1, 1);
        Assert.Equal(expected, Aggregations.SoftVote(logits, MemberOutput.Logits).data<float>().ToArray(), new FloatTolerance(1e-6f));
    }

    [Fact]
    public void Majority_vote_counts_argmax_votes_and_breaks_ties_towards_the_lowest_class()
    {
        using var scope = NewDisposeScope();
        // Four members, three samples, three classes. Votes per sample:
        //   sample 0: 2, 2, 0, 1 → class 2 wins 2:1:1
        //   sample 1: 1, 0, 1, 0 → tie 0 and 1 (2:2) → class 0
        //   sample 2: 2, 1, 1, 2 → tie 1 and 2 → class 1 (although class 2 has the highest total score)
        float[,,] scores =
        {
            { { 0, 0, 9 }, { 0, 5, 0 }, { 0, 0, 9 } },
            { { 0, 0, 9 }, { 5, 0, 0 }, { 0, 1, 0 } },
            { { 9, 0, 0 }, { 0, 5, 0 }, { 0, 1, 0 } },
            { { 0, 9, 0 }, { 5, 0, 0 }, { 0, 0, 9 } },
        };
        Tensor stacked = tensor(scores);
        Assert.Equal(new long[] { 2, 0, 1 }, Aggregations.MajorityVote(stacked).data<long>().ToArray());
        Assert.Equal(new float[] { 0.25f, 0.25f, 0.5f, 0.5f, 0.5f, 0, 0, 0.5f, 0.5f }, Aggregations.VoteFractions(stacked).data<float>().ToArray());

        var aggregator = new EnsembleAggregator(4, Aggregation.MajorityVote);
        Assert.Equal(new float[] { 0, 0, 1, 1, 0, 0, 0, 1, 0 }, aggregator.forward(stacked).data<float>().ToArray());
    }

    [Fact]
    public void Bad_shapes_and_weights_are_rejected_with_the_expected_and_actual_values()
    {
        using var scope = NewDisposeScope();
        var wrongCount = Assert.Throws<ArgumentException>(() => new EnsembleAggregator(3, Aggregation.WeightedMean, weights: new[] { 1.0, 1.0 }));
        Assert.Contains("3 weights", wrongCount.Message);
        Assert.Throws<ArgumentException>(() => new EnsembleAggregator(2, Aggregation.WeightedMean, weights: new[] { 1.0, -1.0 }));
        var aggregator = new EnsembleAggregator(4, Aggregation.Mean);
        var shape = Assert.Throws<ArgumentException>(() => aggregator.forward(Regression()));
        Assert.Contains("[4, B, …]", shape.Message);
        Assert.Contains("[3, 2, 2]", shape.Message);
    }

    private sealed class FloatTolerance(float tolerance) : System.Collections.Generic.IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
