using System;
using System.Linq;
using ModelDsl.Tests.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Ensembles;

/// <summary>The generic runtime ensemble over generated members: outputs, modes, state and placement reach every member.</summary>
public class EnsembleModuleTests
{
    private static Ensemble<TinyRegressor> Make(long seed, int k = 3, Aggregation rule = Aggregation.Mean)
        => new(Enumerable.Range(0, k).Select(i => new TinyRegressor(EnsembleSeeds.ForMember(seed, i))), new EnsembleAggregator(k, rule));

    [Fact]
    public void Member_outputs_are_stacked_member_first_and_forward_is_their_aggregate()
    {
        using var scope = NewDisposeScope();
        var ensemble = Make(1);
        ensemble.eval();
        Tensor x = randn(6, 1);
        Tensor stacked = ensemble.MemberOutputs(x);
        Assert.Equal(new long[] { 3, 6, 1 }, stacked.shape);
        for (int i = 0; i < 3; i++) Assert.True(stacked[i].allclose(ensemble.Members[i].forward(x), rtol: 0, atol: 0));
        Assert.True(ensemble.forward(x).allclose(stacked.mean(new long[] { 0 })));
        Assert.False(stacked[0].allclose(stacked[1], rtol: 0, atol: 0), "members built from distinct seeds must differ");
    }

    [Fact]
    public void Train_and_eval_reach_every_member()
    {
        var ensemble = Make(2);
        ensemble.eval();
        Assert.All(ensemble.Members, m => Assert.False(m.training));
        ensemble.train();
        Assert.All(ensemble.Members, m => Assert.True(m.training));
    }

    [Fact]
    public void State_dict_holds_every_member_and_loading_it_reproduces_the_outputs()
    {
        using var scope = NewDisposeScope();
        var source = Make(3, rule: Aggregation.WeightedMean);
        var target = Make(4, rule: Aggregation.WeightedMean);
        var keys = source.state_dict().Keys.ToArray();
        for (int i = 0; i < 3; i++) Assert.Contains($"members.{i}.dense1.weight", keys);
        Assert.Contains("aggregator.weight_logits", keys);
        Assert.Equal(3 * 4 + 1, keys.Length);

        target.load_state_dict(source.state_dict());
        Tensor x = randn(5, 1);
        source.eval();
        target.eval();
        Assert.True(source.forward(x).allclose(target.forward(x), rtol: 0, atol: 0));
    }

    [Fact]
    public void Members_can_be_placed_round_robin_and_moved_together()
    {
        using var scope = NewDisposeScope();
        var ensemble = Make(5);
        ensemble.PlaceOn(new[] { CPU, new Device(DeviceType.CPU, -1) });
        Assert.All(ensemble.Members, m => Assert.Equal(DeviceType.CPU, m.parameters().First().device_type));
        ensemble.to(CPU);
        Assert.Equal(new long[] { 3, 2, 1 }, ensemble.MemberOutputs(randn(2, 1)).shape);
        Assert.Throws<ArgumentException>(() => ensemble.PlaceOn(Array.Empty<Device>()));
    }

    [Fact]
    public void An_ensemble_needs_two_members_and_a_matching_aggregator()
    {
        Assert.Throws<ArgumentException>(() => new Ensemble<TinyRegressor>(new[] { new TinyRegressor(1) }, new EnsembleAggregator(1, Aggregation.Mean)));
        var error = Assert.Throws<ArgumentException>(() => new Ensemble<TinyRegressor>(new[] { new TinyRegressor(1), new TinyRegressor(2) }, new EnsembleAggregator(3, Aggregation.Mean)));
        Assert.Contains("expects 3 members, but 2", error.Message);
    }
}
