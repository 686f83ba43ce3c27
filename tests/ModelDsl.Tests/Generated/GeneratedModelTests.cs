using System;
using System.Linq;
using ModelDsl.Tests.Models;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Generated;

/// <summary>Generated modules on real tensors: seeds, state_dict names, equality with hand-written TorchSharp, shapes.</summary>
public class GeneratedModelTests
{
    [Fact]
    public void Same_seed_gives_bit_identical_parameters_and_different_seeds_do_not()
    {
        using var scope = NewDisposeScope();
        var a = new Mlp(seed: 7).state_dict();
        var b = new Mlp(seed: 7).state_dict();
        var c = new Mlp(seed: 8).state_dict();
        Assert.Equal(a.Keys, b.Keys);
        foreach (string key in a.Keys) Assert.True(Same(a[key], b[key]), key);
        Assert.False(Same(a["dense1.weight"], c["dense1.weight"]));
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void Seeded_construction_does_not_touch_the_global_generator()
    {
        manual_seed(123);
        float expected = rand(1).item<float>();
        manual_seed(123);
        _ = new Mlp(seed: 5);
        Assert.Equal(expected, rand(1).item<float>());
    }

    [Fact]
    public void State_dict_keys_are_readable_and_stable()
    {
        Assert.Equal(
            new[] { "batchnorm.bias", "batchnorm.num_batches_tracked", "batchnorm.running_mean", "batchnorm.running_var", "batchnorm.weight", "dense1.bias", "dense1.weight", "dense2.bias", "dense2.weight" },
            new Mlp(seed: 1).state_dict().Keys.Order(System.StringComparer.Ordinal).ToArray());
        Assert.Equal(
            new[] { "hidden.dense.weight", "hidden.dense.bias", "hidden.batchnorm.weight", "hidden.batchnorm.bias", "head.dense.weight", "head.dense.bias" },
            new BlockMlp(seed: 1).named_parameters().Select(p => p.name).ToArray());
    }

    [Fact]
    public void Generated_module_equals_hand_written_torchsharp_given_the_same_weights()
    {
        using var scope = NewDisposeScope();
        var generated = new Mlp(seed: 3);
        var hand = nn.Sequential(
            ("dense1", nn.Linear(784, 256)),
            ("batchnorm", nn.BatchNorm1d(256)),
            ("dropout", nn.Dropout(0.5)),
            ("dense2", nn.Linear(256, 10)));
        hand.load_state_dict(generated.state_dict());
        Tensor x = randn(32, 784);

        // Train mode without dropout's randomness differing: compare batch-norm in training via the same seed.
        generated.eval(); hand.eval();
        Assert.True(generated.forward(x).allclose(hand.forward(x), rtol: 0, atol: 1e-6));

        generated.train(); hand.train();
        manual_seed(99); Tensor g = generated.forward(x);
        manual_seed(99); Tensor h = hand.forward(x);
        Assert.True(g.allclose(h, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Parameter_count_and_summary_agree_with_the_module()
    {
        var model = new BlockMlp(seed: 1);
        long count = model.parameters().Sum(p => p.numel());
        Assert.Equal(20 * 16 + 16 + 2 * 16 + 16 * 3 + 3, count);
        Assert.Contains(count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), model.Summary());
        Assert.Equal(BlockMlp.SummaryText, model.Summary());
        Assert.Equal(new long[] { 20 }, model.InputShape);
    }

    [Fact]
    public void Eval_and_train_reach_layers_inside_named_blocks()
    {
        var model = new BlockMlp(seed: 1);
        model.eval();
        Assert.All(model.modules(), m => Assert.False(m.training));
        model.train();
        Assert.All(model.modules(), m => Assert.True(m.training));
    }

    [Fact]
    public void Output_shapes_follow_the_declaration()
    {
        using var scope = NewDisposeScope();
        var model = new BlockMlp(seed: 1);
        model.eval();
        Tensor logProbabilities = model.forward(randn(6, 20));
        Assert.Equal(new long[] { 6, 3 }, logProbabilities.shape);
        Assert.True(logProbabilities.exp().sum(1).allclose(ones(6), atol: 1e-5));
    }

    [Fact]
    public void Wrong_input_shape_names_the_model_and_both_shapes()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ShapeMismatchException>(() => new Mlp(seed: 1).forward(randn(2, 783)));
        Assert.Equal("Mlp: expected input of shape [B, 784], got [2, 783].", error.Message);
    }

    [Theory]
    [InlineData(ScalarType.Float32, ScalarType.Float64)]
    [InlineData(ScalarType.Float64, ScalarType.Float32)]
    [InlineData(ScalarType.Float32, ScalarType.Int64)]
    public void An_input_of_another_dtype_than_the_parameters_is_named_with_both_dtypes(ScalarType model, ScalarType input)
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => new Mlp(seed: 1, dtype: model).forward(zeros(new long[] { 2, 784 }, dtype: input)));
        Assert.StartsWith($"Mlp holds {model} parameters, but the input is {input}: convert the input (input.to(ScalarType.{model}))", error.Message);
    }

    [Fact]
    public void Loop_and_vectorized_ensembles_name_an_input_of_another_dtype_too()
    {
        using var scope = NewDisposeScope();
        Tensor doubles = zeros(new long[] { 2, 6 }, dtype: ScalarType.Float64);
        var loop = Assert.Throws<ArgumentException>(() => new TinyClassifierEnsemble().forward(zeros(new long[] { 2, 4 }, dtype: ScalarType.Float64)));
        Assert.Contains("holds Float32 parameters, but the input is Float64", loop.Message);
        var ensemble = new VectorizableNetEnsemble();
        var vectorized = Assert.Throws<ArgumentException>(() => ensemble.forward(doubles));
        Assert.Contains("holds Float32 parameters, but the input is Float64", vectorized.Message);
        TorchSharp.ModuleExtensionMethods.to(ensemble, ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, ensemble.forward(doubles).dtype); // the cached parameter is found again after to()
    }

    [Fact]
    public void After_to_dtype_the_model_takes_inputs_of_its_new_dtype_and_refuses_the_old_one()
    {
        using var scope = NewDisposeScope();
        var model = new Mlp(seed: 1);
        Assert.Equal(new long[] { 2, 10 }, model.forward(zeros(2, 784)).shape); // caches the float32 parameter
        TorchSharp.ModuleExtensionMethods.to(model, ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, model.forward(zeros(new long[] { 2, 784 }, dtype: ScalarType.Float64)).dtype);
        var error = Assert.Throws<ArgumentException>(() => model.forward(zeros(2, 784)));
        Assert.Contains("holds Float64 parameters, but the input is Float32", error.Message);
    }

    [Fact]
    public void Dtype_and_device_arguments_apply_to_every_parameter()
    {
        var model = new Mlp(seed: 1, device: CPU, dtype: ScalarType.Float64);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        Assert.All(model.parameters(), p => Assert.Equal(TorchSharp.DeviceType.CPU, p.device_type));
    }
}
