using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Weights;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Weights;

/// <summary>
/// A residual unit whose branch's last BatchNorm starts at γ = 0 (declared init, skipped inside a
/// <see cref="SkipInitialization"/> scope), He-initialized layers and a default-initialized head.
/// </summary>
[Model(8)]
public partial class ZeroGammaNet
{
    [Residual(BranchInit = ResidualInit.ZeroGamma)]
    [Dense(8, Init = Init.He), BatchNorm]
    public partial Sequential Body { get; }

    [Dense(3)]
    public partial Sequential Head { get; }
}

/// <summary>
/// The tests that compare draws of TorchSharp's global generator run alone: another test class constructing an unseeded
/// model on a parallel thread would advance it in between.
/// </summary>
[CollectionDefinition(nameof(GlobalGeneratorCollection), DisableParallelization = true)]
public sealed class GlobalGeneratorCollection { }

/// <summary>Constructing without init for a model that is loaded at once: <see cref="SkipInitialization"/> and <see cref="ModuleWeights.FromFile{TModel}(string, Func{TModel}, bool)"/>.</summary>
[Collection(nameof(GlobalGeneratorCollection))]
public sealed class SkipInitializationTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("modeldsl-noinit-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static Dictionary<string, byte[]> Bits(nn.Module model)
        => model.state_dict().ToDictionary(p => p.Key, p => p.Value.contiguous().bytes.ToArray());

    private static Tensor Gamma(ZeroGammaNet model)
        => model.state_dict().Single(p => p.Key.StartsWith("body.0.", StringComparison.Ordinal) && p.Key.EndsWith("batchnorm.weight", StringComparison.Ordinal)).Value;

    /// <summary>A trained-looking model: seeded init, then running statistics from a few training-mode batches.</summary>
    private static ZeroGammaNet Trained()
    {
        var model = new ZeroGammaNet(seed: 5);
        using var generator = new Generator(9);
        using var scope = NewDisposeScope();
        model.train();
        for (int i = 0; i < 3; i++) model.forward(randn(16, 8, generator: generator));
        using (no_grad()) Gamma(model).fill_(0.5);
        return model;
    }

    [Theory]
    [InlineData("model.safetensors")]
    [InlineData("model.pt")]
    public void A_model_built_without_init_then_loaded_equals_the_saved_model_bit_for_bit(string name)
    {
        string path = Path.Combine(folder, name);
        using var saved = Trained();
        saved.SaveWeights(path);

        using var loaded = ModuleWeights.FromFile(path, () => new ZeroGammaNet());

        var expected = Bits(saved);
        var actual = Bits(loaded);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, bytes) in expected) Assert.True(bytes.AsSpan().SequenceEqual(actual[key]), key);
        saved.eval();
        loaded.eval();
        using var noGrad = no_grad();
        using var input = randn(4, 8);
        Assert.True(saved.forward(input).equal(loaded.forward(input)).all().item<bool>());
    }

    [Fact]
    public void Inside_the_scope_the_declared_init_is_skipped_and_outside_it_applies()
    {
        Assert.False(SkipInitialization.IsActive);
        using (var model = new ZeroGammaNet(seed: 1)) Assert.True(Gamma(model).eq(0).all().item<bool>());
        using (SkipInitialization.Begin())
        {
            Assert.True(SkipInitialization.IsActive);
            // BatchNorm's own constructor value (γ = 1) is left: the zero-γ init did not run.
            using var model = new ZeroGammaNet(seed: 1);
            Assert.True(Gamma(model).eq(1).all().item<bool>());
        }
        Assert.False(SkipInitialization.IsActive);
        using (var model = new ZeroGammaNet(seed: 1)) Assert.True(Gamma(model).eq(0).all().item<bool>());
    }

    [Fact]
    public void Building_without_init_leaves_the_global_generator_and_seeded_draws_as_they_were()
    {
        string path = Path.Combine(folder, "model.safetensors");
        using (var saved = Trained()) saved.SaveWeights(path);

        random.manual_seed(11);
        using var expected = rand(32);

        // Control: an unseeded construction outside the scope advances the global generator (TorchSharp's Linear draws).
        random.manual_seed(11);
        new ZeroGammaNet().Dispose();
        using (var shifted = rand(32)) Assert.False(shifted.equal(expected).all().item<bool>());

        random.manual_seed(11);
        using (SkipInitialization.Begin()) new ZeroGammaNet().Dispose();
        using (var afterScope = rand(32)) Assert.True(afterScope.equal(expected).all().item<bool>());

        random.manual_seed(11);
        ModuleWeights.FromFile(path, () => new ZeroGammaNet()).Dispose();
        using (var afterLoad = rand(32)) Assert.True(afterLoad.equal(expected).all().item<bool>());

        // A seeded model built after a skipped one draws the same numbers as one built before it.
        var before = Bits(new ZeroGammaNet(seed: 3));
        using (SkipInitialization.Begin()) new ZeroGammaNet(seed: 3).Dispose();
        var after = Bits(new ZeroGammaNet(seed: 3));
        foreach (var (key, bytes) in before) Assert.True(bytes.AsSpan().SequenceEqual(after[key]), key);
    }

    [Fact]
    public void A_failed_load_disposes_the_model_and_throws_the_report()
    {
        string path = Path.Combine(folder, "wider.safetensors");
        using (var wider = new WiderTwin(seed: 2)) wider.SaveWeights(path);
        List<Tensor> tensors = new();

        var error = Assert.Throws<WeightsMismatchException>(() => ModuleWeights.FromFile(path, () =>
        {
            var model = new PyTorchTwin();
            tensors = model.state_dict().Values.ToList();
            return model;
        }));

        Assert.Contains(error.Mismatches, line => line.StartsWith("shape: dense1.weight", StringComparison.Ordinal));
        Assert.NotEmpty(tensors);
        Assert.All(tensors, tensor => Assert.True(tensor.IsInvalid));
        Assert.False(SkipInitialization.IsActive);
    }

    [Fact]
    public void A_load_that_fails_midway_disposes_the_model_and_rethrows()
    {
        string path = Path.Combine(folder, "model.pt");
        using (var saved = new PyTorchTwin(seed: 2)) saved.SaveWeights(path);
        List<Tensor> tensors = new();

        var error = Assert.Throws<IOException>(() => ModuleWeights.FromFile(path, () =>
        {
            var model = new PyTorchTwin();
            tensors = model.state_dict().Values.ToList();
            return model;
        }, convertFloatingDtypes: false, beforeCopy: key => { if (key == "batchnorm.bias") throw new IOException("disk gone"); }));

        Assert.Equal("disk gone", error.Message);
        Assert.All(tensors, tensor => Assert.True(tensor.IsInvalid));
        Assert.Throws<FileNotFoundException>(() => ModuleWeights.FromFile(Path.Combine(folder, "none.pt"), () => new PyTorchTwin()));
    }

    [Fact]
    public void The_scope_ends_and_the_global_generator_is_restored_when_the_constructor_throws()
    {
        string path = Path.Combine(folder, "model.safetensors");
        using (var saved = new PyTorchTwin(seed: 2)) saved.SaveWeights(path);
        random.manual_seed(4);
        using var expected = rand(8);

        random.manual_seed(4);
        var error = Assert.Throws<InvalidOperationException>(() => ModuleWeights.FromFile<PyTorchTwin>(path, () =>
        {
            Assert.True(SkipInitialization.IsActive);
            new PyTorchTwin().Dispose();
            throw new InvalidOperationException("constructor failed");
        }));

        Assert.Equal("constructor failed", error.Message);
        Assert.False(SkipInitialization.IsActive);
        using (var actual = rand(8)) Assert.True(actual.equal(expected).all().item<bool>());
        using (var model = new ZeroGammaNet(seed: 1)) Assert.True(Gamma(model).eq(0).all().item<bool>());
    }

    [Fact]
    public void Scopes_nest_and_a_second_dispose_does_nothing()
    {
        var outer = SkipInitialization.Begin();
        var inner = SkipInitialization.Begin();
        inner.Dispose();
        inner.Dispose();
        Assert.True(SkipInitialization.IsActive);
        outer.Dispose();
        Assert.False(SkipInitialization.IsActive);
    }
}
