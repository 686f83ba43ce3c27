using System.Linq;
using ModelDsl.Tests.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Ensembles;

/// <summary>The classes [Ensemble] generates, on real tensors.</summary>
public class GeneratedEnsembleTests
{
    [Fact]
    public void Members_get_distinct_seeds_derived_from_the_ensemble_seed()
    {
        using var scope = NewDisposeScope();
        var ensemble = new TinyRegressorEnsemble(); // [Ensemble(5, Seed = 7)]
        Assert.Equal(5, ensemble.Members.Count);
        Assert.Equal(7, TinyRegressorEnsemble.DefaultSeed);
        for (int i = 0; i < 5; i++)
        {
            var expected = new TinyRegressor(EnsembleSeeds.ForMember(7, i));
            foreach (var (p, q) in expected.parameters().Zip(ensemble.Members[i].parameters())) Assert.True(p.allclose(q, rtol: 0, atol: 0));
        }
        Assert.False(ensemble.Members[0].parameters().First().allclose(ensemble.Members[1].parameters().First()));
        var other = new TinyRegressorEnsemble(seed: 8);
        Assert.False(other.Members[0].parameters().First().allclose(ensemble.Members[0].parameters().First()));

        ensemble.eval();
        Tensor x = randn(4, 1);
        Assert.True(ensemble.forward(x).allclose(ensemble.MemberOutputs(x).mean(new long[] { 0 })));
    }

    [Fact]
    public void Soft_vote_ensemble_returns_probabilities()
    {
        using var scope = NewDisposeScope();
        var ensemble = new TinyClassifierEnsemble();
        ensemble.eval();
        Tensor p = ensemble.forward(randn(10, 4));
        Assert.Equal(new long[] { 10, 3 }, p.shape);
        Assert.True(p.sum(1).allclose(ones(10), atol: 1e-6));
        Assert.True((p >= 0).all().ToBoolean());
    }

    [Fact]
    public void Vectorized_ensemble_equals_the_loop_form_built_from_the_same_seed()
    {
        using var scope = NewDisposeScope();
        var vectorized = new VectorizableNetEnsemble(); // [Ensemble(4, SoftVote, Seed = 3, Vectorized = true)]
        var loop = new Ensemble<VectorizableNet>(
            Enumerable.Range(0, 4).Select(i => new VectorizableNet(EnsembleSeeds.ForMember(VectorizableNetEnsemble.DefaultSeed, i))),
            new EnsembleAggregator(4, Aggregation.SoftVote));
        vectorized.eval();
        loop.eval();
        Tensor x = randn(8, 6);
        Assert.True((vectorized.MemberOutputs(x) - loop.MemberOutputs(x)).abs().max().ToDouble() < 1e-5);
        Assert.True((vectorized.forward(x) - loop.forward(x)).abs().max().ToDouble() < 1e-5);
        Assert.Equal(8, VectorizableNetEnsemble.Layers.Count);
        vectorized.train();
        Assert.True(vectorized.Stack.training);
    }
}
