using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Tests.Models;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Residual;

/// <summary>
/// Generated [Residual] models against a hand-written TorchSharp ResNet block given the same weights (He et al. 2016,
/// eq. 1–2: y = relu(bn2(conv2(relu(bn1(conv1 x)))) + shortcut(x))), in training and eval, and the branch inits at
/// initialization: zero-γ and zero-init make each unit exactly its shortcut (Goyal et al. 2017, §5.1), Fixup scales
/// by L^(−1/(2m−2)) and keeps a deep unnormalized network's activations from growing (Zhang et al. 2019).
/// </summary>
public class ResidualModelTests
{
    /// <summary>Every parameter and buffer redrawn from a seeded generator (variances positive), so the comparison is not against γ = 1, β = 0.</summary>
    private static Dictionary<string, Tensor> Randomize(nn.Module model)
    {
        var generator = new Generator(11);
        using (no_grad())
        {
            foreach ((string name, Tensor t) in model.state_dict())
            {
                if (!t.is_floating_point()) continue;
                if (name.EndsWith("running_var", StringComparison.Ordinal)) t.uniform_(0.5, 1.5, generator: generator);
                else t.normal_(0, 0.5, generator: generator);
            }
        }
        return model.state_dict();
    }

    /// <summary>Same shape and every element equal, bit for bit.</summary>
    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && (a == b).all().item<bool>();

    private static Tensor Conv(Tensor x, Dictionary<string, Tensor> p, string key, long stride, long padding)
        => nn.functional.conv2d(x, p[key + ".weight"], p.GetValueOrDefault(key + ".bias"), strides: new[] { stride, stride }, padding: new[] { padding, padding });

    /// <summary>Batch norm by the functional form, on copies of the running statistics (the generated model updates its own).</summary>
    private static Tensor Norm(Tensor x, Dictionary<string, Tensor> p, string key, bool training)
        => nn.functional.batch_norm(x, p[key + ".running_mean"].clone(), p[key + ".running_var"].clone(), p[key + ".weight"], p[key + ".bias"], training, 0.1, 1e-5);

    /// <summary>The basic block written by hand on the generated model's state_dict, by its keys.</summary>
    private static Tensor HandBasicBlock(Tensor x, Dictionary<string, Tensor> p, string unit, long stride, bool projection, bool training)
    {
        Tensor y = nn.functional.relu(Norm(Conv(x, p, unit + ".conv1", stride, 1), p, unit + ".batchnorm1", training));
        y = Norm(Conv(y, p, unit + ".conv2", 1, 1), p, unit + ".batchnorm2", training);
        Tensor skip = projection ? Norm(Conv(x, p, unit + ".shortcut.conv", stride, 0), p, unit + ".shortcut.batchnorm", training) : x;
        return nn.functional.relu(y + skip);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Image_blocks_equal_a_hand_written_basic_block(bool projection, bool training)
    {
        using var scope = NewDisposeScope();
        nn.Module<Tensor, Tensor> model = projection ? new ResidualProjectionCnn(seed: 1, dtype: ScalarType.Float64) : new ResidualIdentityCnn(seed: 1, dtype: ScalarType.Float64);
        long[] shape = projection ? new long[] { 5, 3, 8, 8 } : new long[] { 5, 4, 6, 6 };
        Dictionary<string, Tensor> p = Randomize(model);
        Tensor x = randn(shape, ScalarType.Float64, generator: new Generator(3));
        model.train(training);
        Tensor expected = HandBasicBlock(x, p, "block.0", projection ? 2 : 1, projection, training);
        Tensor actual = model.forward(x);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-6), $"max |Δ| = {(actual - expected).abs().max().item<double>()}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dense_blocks_equal_hand_written_residual_units(bool training)
    {
        using var scope = NewDisposeScope();
        var identity = new ResidualIdentityMlp(seed: 1, dtype: ScalarType.Float64);
        var projection = new ResidualProjectionMlp(seed: 1, dtype: ScalarType.Float64);
        Dictionary<string, Tensor> pi = Randomize(identity), pp = Randomize(projection);
        Tensor x = randn(new long[] { 6, 5 }, ScalarType.Float64, generator: new Generator(3));
        identity.train(training);
        projection.train(training);

        // Pre-activation units, y = x + W2·relu(W1·LN(x) + b1) + b2, twice; LayerNorm is the same in training and eval.
        Tensor y = x;
        foreach (string unit in new[] { "block.0", "block.1" })
        {
            Tensor h = nn.functional.layer_norm(y, new long[] { 5 }, pi[unit + ".layernorm.weight"], pi[unit + ".layernorm.bias"], 1e-5);
            h = nn.functional.relu(nn.functional.linear(h, pi[unit + ".dense1.weight"], pi[unit + ".dense1.bias"]));
            y = y + nn.functional.linear(h, pi[unit + ".dense2.weight"], pi[unit + ".dense2.bias"]);
        }
        Assert.True(identity.forward(x).allclose(y, rtol: 0, atol: 1e-6));

        // A widening unit: relu(W2·relu(W1·x + b1) + b2 + P·x), P without bias.
        Tensor branch = nn.functional.linear(nn.functional.relu(nn.functional.linear(x, pp["block.0.dense1.weight"], pp["block.0.dense1.bias"])), pp["block.0.dense2.weight"], pp["block.0.dense2.bias"]);
        Tensor expected = nn.functional.relu(branch + nn.functional.linear(x, pp["block.0.shortcut.dense.weight"]));
        Assert.False(pp.ContainsKey("block.0.shortcut.dense.bias"));
        Assert.True(projection.forward(x).allclose(expected, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void State_dict_keys_read_like_the_declaration()
    {
        using var scope = NewDisposeScope();
        var keys = new ZeroGammaCnn(seed: 1).state_dict().Keys.ToList();
        Assert.Contains("block.0.conv1.weight", keys);
        Assert.Contains("block.0.batchnorm2.running_var", keys);
        Assert.Contains("block.0.shortcut.conv.weight", keys);
        Assert.Contains("block.0.shortcut.batchnorm.weight", keys);
        Assert.Contains("block.1.conv2.weight", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("block.1.shortcut", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Zero_gamma_makes_each_unit_exactly_its_shortcut_at_init(bool training)
    {
        using var scope = NewDisposeScope();
        var model = new ZeroGammaCnn(seed: 4, dtype: ScalarType.Float64);
        model.train(training);
        var units = model.Block.children().Cast<ResidualBlock>().ToList();
        // The generated forward switches a 3-channel image to channels-last at its input (when ChannelsLast.RunsChannelsLast); the
        // units get the same layout here, so the comparisons below are bit for bit (a convolution sums in another order on the other layout).
        Tensor x = ChannelsLast.From(randn(new long[] { 4, 3, 8, 8 }, ScalarType.Float64, generator: new Generator(9)), model);

        // Unit 0: the branch contributes exactly 0, so the output is the projection (no activation after the sum here).
        Tensor first = units[0].forward(x);
        Assert.True(Same(first, units[0].Shortcut!.forward(x)));
        // Unit 1: the identity, bit for bit.
        Assert.True(Same(units[1].forward(first), first));
        Assert.True(Same(model.forward(x), first));
    }

    [Fact]
    public void Zero_init_makes_each_dense_unit_the_identity_at_init()
    {
        using var scope = NewDisposeScope();
        var model = new ZeroWeightsMlp(seed: 4);
        Tensor x = randn(new long[] { 7, 5 }, generator: new Generator(9));
        Assert.True(Same(model.forward(x), x));
        model.train();
        Assert.True(Same(model.forward(x), x));
    }

    [Fact]
    public void Fixup_scales_the_first_layer_by_L_to_the_minus_one_over_2m_minus_2_and_zeroes_the_last()
    {
        using var scope = NewDisposeScope();
        var fixup = new FixupDeepMlp(seed: 8).state_dict();
        var plain = new PlainDeepMlp(seed: 8).state_dict();
        // L = 20 units, m = 2 weight layers per branch: 20^(−1/2) (Zhang, Dauphin and Ma 2019, §3 rule 2).
        double factor = Math.Pow(20, -1.0 / (2 * 2 - 2));
        for (int u = 0; u < 20; u++)
        {
            // The same seed draws the same He weights; Fixup multiplies them by the factor.
            Tensor w = fixup[$"stage.{u}.dense1.weight"], reference = plain[$"stage.{u}.dense1.weight"];
            Assert.True(w.allclose(reference * factor, rtol: 1e-6, atol: 0), $"unit {u}");
            Assert.Equal(0, fixup[$"stage.{u}.dense2.weight"].count_nonzero().item<long>());
            Assert.Equal(0, fixup[$"stage.{u}.dense2.bias"].count_nonzero().item<long>());
        }
        // And the He draw itself: std √2/√64 before scaling, so √(2/64)·20^(−1/2) after (81,920 weights, sampling error ≈ 0.25 %).
        double std = stack(Enumerable.Range(0, 20).Select(u => fixup[$"stage.{u}.dense1.weight"]).ToArray()).std().item<float>();
        Assert.InRange(std / (Math.Sqrt(2.0 / 64) * factor), 0.98, 1.02);
    }

    /// <summary>Var of each unit's output over a batch, first to last unit.</summary>
    private static List<double> UnitVariances(nn.Module<Tensor, Tensor> stage, Tensor x)
    {
        var variances = new List<double>();
        foreach (var unit in stage.children().Cast<nn.Module<Tensor, Tensor>>())
        {
            x = unit.forward(x);
            variances.Add(x.var().item<float>());
        }
        return variances;
    }

    [Fact]
    public void Twenty_Fixup_units_without_norms_keep_the_activation_variance_within_a_factor_2()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = randn(new long[] { 512, 64 }, generator: new Generator(13));
        List<double> fixup = UnitVariances(new FixupDeepMlp(seed: 8).Stage, x);
        List<double> plain = UnitVariances(new PlainDeepMlp(seed: 8).Stage, x);

        Assert.InRange(fixup[^1] / fixup[0], 0.5, 2.0);
        // Measured against the same network at He init, where each unit adds a branch of about the input's variance:
        // Var(x_{l+1}) ≈ 2·Var(x_l), so 20 units grow it by orders of magnitude (the test could fail).
        Assert.True(plain[^1] / plain[0] > 1000, $"plain growth {plain[^1] / plain[0]}");
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_parameters()
    {
        using var scope = NewDisposeScope();
        var a = new ZeroGammaCnn(seed: 21).state_dict();
        var b = new ZeroGammaCnn(seed: 21).state_dict();
        var c = new ZeroGammaCnn(seed: 22).state_dict();
        Assert.All(a, kv => Assert.True(Same(kv.Value, b[kv.Key]), kv.Key));
        Assert.False(Same(a["block.0.shortcut.conv.weight"], c["block.0.shortcut.conv.weight"]));
    }

    [Fact]
    public void The_projection_decays_with_its_block_group_and_the_loop_ensemble_runs()
    {
        using var scope = NewDisposeScope();
        var model = new ResidualEnsembleCnn(seed: 3);
        ParameterGroup body = Assert.Single(model.ParameterGroups(), g => g.Name == "body");
        var byName = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.Handle);
        var decayed = body.Parameters.Select(p => p.Handle).ToHashSet();
        Assert.Contains(byName["block.0.shortcut.conv.weight"], decayed);
        Assert.Contains(byName["block.0.conv1.weight"], decayed);
        Assert.Contains(byName["block.0.conv2.weight"], decayed);
        Assert.DoesNotContain(byName["head.dense.weight"], decayed);

        var ensemble = new ResidualEnsembleCnnEnsemble();
        Tensor output = ensemble.forward(randn(new long[] { 2, 3, 8, 8 }, generator: new Generator(1)));
        Assert.Equal(new long[] { 2, 4 }, output.shape);
    }

    [Fact]
    public void A_hand_built_block_whose_branch_and_shortcut_disagree_names_both_shapes()
    {
        using var scope = NewDisposeScope();
        using var block = new ResidualBlock(new (string, nn.Module<Tensor, Tensor>)[] { ("dense", nn.Linear(4, 3)) });
        var error = Assert.Throws<ShapeMismatchException>(() => block.forward(zeros(2, 4)));
        Assert.Contains("the branch returns [2, 3] but the shortcut [2, 4]", error.Message);
        Assert.Throws<ArgumentException>(() => new ResidualBlock(Array.Empty<(string, nn.Module<Tensor, Tensor>)>()));
    }

    [Fact]
    public void A_checkpoint_restores_every_unit_and_projection_including_running_statistics()
    {
        using var scope = NewDisposeScope();
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"residual-{Guid.NewGuid():N}.ckpt");
        try
        {
            var trained = new ZeroGammaCnn(seed: 1);
            using var optimizer = optim.Adam(trained.parameters(), lr: 1e-2);
            Tensor x = randn(new long[] { 8, 3, 8, 8 }, generator: new Generator(2));
            for (int step = 0; step < 3; step++)
            {
                optimizer.zero_grad();
                trained.forward(x).square().mean().backward();
                optimizer.step();
            }
            Checkpoint.Save(path, trained, optimizer, epoch: 1, step: 3, new History());

            var restored = new ZeroGammaCnn(seed: 99);
            using var fresh = optim.Adam(restored.parameters(), lr: 1e-2);
            Checkpoint.Load(path, restored, fresh);
            var expected = trained.state_dict();
            Assert.All(restored.state_dict(), kv => Assert.True(Same(kv.Value, expected[kv.Key]), kv.Key));
            trained.eval();
            restored.eval();
            Assert.True(Same(restored.forward(x), trained.forward(x)));
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }
}
