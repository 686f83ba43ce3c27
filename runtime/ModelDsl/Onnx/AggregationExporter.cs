using System;
using System.Collections.Generic;
using System.Linq;
using static ModelDsl.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

/// <summary>
/// Writes an <see cref="EnsembleAggregator"/> as ONNX nodes over the members' output values, with the same semantics
/// as <see cref="Aggregations"/>: mean, weighted mean (learned weights as their current softmax), soft vote (member
/// outputs turned into probabilities by their kind), and the hard majority vote as a one-hot winner with ties going
/// to the lowest class index.
/// </summary>
internal static class AggregationExporter
{
    public static string Write(OnnxGraphBuilder g, EnsembleAggregator aggregator, IReadOnlyList<string> members, long classes)
    {
        switch (aggregator.Rule)
        {
            case Aggregation.Mean:
                return g.Node("Mean", "aggregate", members);
            case Aggregation.WeightedMean:
                double[] weights = Weights(aggregator);
                var weighted = members.Select((m, i) => g.Node("Mul", $"aggregate.member{i}", new[] { m, g.Constant($"aggregate.weight{i}", new[] { weights[i] }) }));
                return g.Node("Sum", "aggregate", weighted.ToList());
            case Aggregation.SoftVote:
                return g.Node("Mean", "aggregate", members.Select((m, i) => Probabilities(g, m, i, aggregator.Output)).ToList());
            case Aggregation.MajorityVote:
                return MajorityVote(g, members, classes);
            default:
                throw new ArgumentOutOfRangeException(nameof(aggregator), aggregator.Rule, "unknown aggregation");
        }
    }

    private static double[] Weights(EnsembleAggregator aggregator)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return aggregator.Weights!.to(ScalarType.Float64, CPU).data<double>().ToArray();
    }

    private static string Probabilities(OnnxGraphBuilder g, string member, int i, MemberOutput kind) => kind switch
    {
        MemberOutput.Logits => g.Node("Softmax", $"aggregate.probabilities{i}", new[] { member }, Int("axis", -1)),
        MemberOutput.LogProbabilities => g.Node("Exp", $"aggregate.probabilities{i}", new[] { member }),
        MemberOutput.Probabilities => member,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown member output kind"),
    };

    /// <summary>
    /// Each member's argmax class as a one-hot row (Equal against 0..C−1, cast), votes summed, and the winner picked by
    /// argmax of count·C + (C − 1 − c), which prefers the lower class among equal counts exactly as
    /// <see cref="Aggregations.MajorityVote"/> does.
    /// </summary>
    private static string MajorityVote(OnnxGraphBuilder g, IReadOnlyList<string> members, long classes)
    {
        string classIndices = g.Int64Constant("aggregate.classes", Enumerable.Range(0, checked((int)classes)).Select(c => (long)c).ToArray(), classes);
        var votes = new List<string>();
        for (int i = 0; i < members.Count; i++)
        {
            string choice = g.Node("ArgMax", $"aggregate.choice{i}", new[] { members[i] }, Int("axis", -1), Int("keepdims", 1));
            string hit = g.Node("Equal", $"aggregate.hit{i}", new[] { choice, classIndices });
            votes.Add(g.Node("Cast", $"aggregate.vote{i}", new[] { hit }, Int("to", (long)g.ElementType)));
        }
        string counts = g.Node("Sum", "aggregate.counts", votes);
        double[] preference = Enumerable.Range(0, checked((int)classes)).Select(c => (double)(classes - 1 - c)).ToArray();
        string score = g.Node("Add", "aggregate.score", new[]
        {
            g.Node("Mul", "aggregate.scaled_counts", new[] { counts, g.Constant("aggregate.class_count", new[] { (double)classes }) }),
            g.Constant("aggregate.preference", preference, classes),
        });
        string winner = g.Node("ArgMax", "aggregate.winner", new[] { score }, Int("axis", -1), Int("keepdims", 1));
        return g.Node("Cast", "aggregate", new[] { g.Node("Equal", "aggregate.one_hot", new[] { winner, classIndices }) }, Int("to", (long)g.ElementType));
    }
}
