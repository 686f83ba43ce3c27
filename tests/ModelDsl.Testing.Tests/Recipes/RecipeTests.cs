using System;
using System.IO;
using System.Linq;
using Recipes;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Testing.Tests.Recipes;

/// <summary>The recipes of docs/recipes.md run on real tensors (small: 16 → 32 → 4, batch 8).</summary>
public class RecipeTests
{
    [Fact]
    public void Custom_forward_uses_the_named_blocks_with_a_skip_connection()
    {
        using var scope = NewDisposeScope();
        using var model = new ResidualMlp(seed: 3);
        model.eval();
        Tensor x = randn(8, 16, generator: new Generator(5));

        Tensor y = model.forward(x);

        Assert.Equal(new long[] { 8, 4 }, y.shape);
        // The user's forward, computed by hand from the blocks: the generated one would have been Head(Body(Stem(x))).
        Tensor h = model.Stem.forward(x);
        Tensor expected = model.Head.forward(h + model.Body.forward(h));
        Assert.True(y.eq(expected).all().item<bool>());
        Tensor chained = model.Head.forward(model.Body.forward(h));
        Assert.False(y.allclose(chained));
        Assert.Contains("body.batchnorm.running_mean", model.state_dict().Keys);
    }

    [Fact]
    public void Save_and_load_restore_every_parameter_and_buffer()
    {
        using var scope = NewDisposeScope();
        string path = Path.Combine(Path.GetTempPath(), $"modeldsl-recipe-{Guid.NewGuid():N}.bin");
        try
        {
            using var model = new ResidualMlp(seed: 1);
            model.train();
            model.forward(randn(8, 16, generator: new Generator(2)));   // moves BatchNorm's running stats off their init
            model.save(path);

            using var restored = new ResidualMlp(seed: 99);
            restored.load(path);

            var original = model.state_dict();
            foreach (var (name, tensor) in restored.state_dict())
            {
                // Bit-identical: load copies the stored values, so exact equality (no tolerance) is the right test.
                Assert.True(tensor.eq(original[name]).all().item<bool>(), name + " differs after load");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void In_memory_snapshot_survives_training_and_restores_the_best_weights()
    {
        using var scope = NewDisposeScope();
        using var model = new ResidualMlp(seed: 4);
        var best = Persistence.Snapshot(model);
        Tensor before = model.state_dict()["stem.dense.weight"].clone();

        using (no_grad()) { foreach (var p in model.parameters()) p.add_(1.0); }   // "training" moves every weight
        Assert.False(model.state_dict()["stem.dense.weight"].eq(before).all().item<bool>());

        Persistence.Restore(model, best);
        Assert.True(model.state_dict()["stem.dense.weight"].eq(before).all().item<bool>());
        foreach (var tensor in best.Values) tensor.Dispose();
    }

    [Fact]
    public void A_generated_model_in_a_users_module_keeps_its_keys_under_the_field_name()
    {
        using var scope = NewDisposeScope();
        using var standalone = new ResidualMlp(seed: 6);
        using var calibrated = new Calibrated(new ResidualMlp(seed: 7));

        var expected = standalone.state_dict().Keys.Select(k => "net." + k).Append("temperature").OrderBy(k => k, StringComparer.Ordinal);
        Assert.Equal(expected, calibrated.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal));
        calibrated.Net.load_state_dict(standalone.state_dict(), strict: true);

        standalone.eval();
        calibrated.eval();
        Tensor x = randn(8, 16, generator: new Generator(8));
        Assert.True(calibrated.forward(x).eq(standalone.forward(x)).all().item<bool>());   // T = 1 at the start
    }

    [Fact]
    public void Persistence_recipe_round_trips_through_a_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"modeldsl-recipe-{Guid.NewGuid():N}.bin");
        try
        {
            Persistence.SaveAndRestore(path);
            Assert.True(new FileInfo(path).Length > 0);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
