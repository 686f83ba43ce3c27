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
/// Names PyTorch's <c>nn.Sequential(Conv2d, BatchNorm2d, ReLU, AdaptiveAvgPool2d, Flatten)</c> as <c>features</c> and a
/// <c>Linear</c> as <c>classifier</c> would give (features.0.weight, features.1.running_mean, classifier.weight), mapped
/// onto a declaration with its own names.
/// </summary>
[Model(1, 8, 8)]
[RenameWeights("features.0", "stem.conv")]
[RenameWeights("features.1", "stem.bn")]
[RenameWeights("classifier", "head.fc")]
public partial class RenamedNet
{
    [Conv2d(4, 3, Padding = 1, Name = "conv"), BatchNorm(Name = "bn"), ReLU, GlobalAvgPool]
    public partial Sequential Stem { get; }

    [Dense(3, Name = "fc")]
    public partial Sequential Head { get; }
}

/// <summary>[RenameWeights]: a file with PyTorch's names loads strictly through the map and saves back under them.</summary>
public sealed class WeightRenamesTests : IDisposable
{
    private static readonly string[] FileKeys =
    {
        "features.0.weight", "features.0.bias",
        "features.1.weight", "features.1.bias", "features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked",
        "classifier.weight", "classifier.bias",
    };

    private readonly string folder = Directory.CreateTempSubdirectory("modeldsl-renames-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A file as PyTorch would save the mirrored model: its names, each tensor filled with a value of its own.</summary>
    private string PyTorchFile(string name)
    {
        using var scope = NewDisposeScope();
        using var model = new RenamedNet(seed: 1);
        var state = model.state_dict();
        var renames = WeightRenames.Of(typeof(RenamedNet));
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        int i = 0;
        foreach ((string key, Tensor value) in state)
            tensors[renames.ToFile(key)] = value.dtype == ScalarType.Int64 ? tensor(7L) : full_like(value, 0.25 * ++i);
        string path = Path.Combine(folder, name);
        WeightsFile.Write(path, tensors);
        return path;
    }

    [Fact]
    public void A_file_with_PyTorchs_names_loads_strictly_through_the_renames()
    {
        string path = PyTorchFile("pytorch.safetensors");
        var file = WeightsFile.Read(path);
        Assert.Equal(FileKeys.Order(StringComparer.Ordinal), file.Keys.Order(StringComparer.Ordinal));

        using var model = new RenamedNet(seed: 2);
        WeightsLoadReport report = model.LoadWeights(path);
        Assert.True(report.IsExactFit);
        var state = model.state_dict();
        Assert.True(state["stem.conv.weight"].equal(file["features.0.weight"]).all().item<bool>());
        Assert.True(state["stem.bn.running_var"].equal(file["features.1.running_var"]).all().item<bool>());
        Assert.True(state["head.fc.bias"].equal(file["classifier.bias"]).all().item<bool>());
        Assert.Equal(7L, state["stem.bn.num_batches_tracked"].item<long>());
        foreach (Tensor t in file.Values) t.Dispose();
    }

    [Theory]
    [InlineData("saved.safetensors")]
    [InlineData("saved.pt")]
    public void Save_writes_the_files_names_back(string name)
    {
        string path = Path.Combine(folder, name);
        using (var model = new RenamedNet(seed: 3)) model.SaveWeights(path);
        var file = WeightsFile.Read(path);
        Assert.Equal(FileKeys.Order(StringComparer.Ordinal), file.Keys.Order(StringComparer.Ordinal));
        foreach (Tensor t in file.Values) t.Dispose();

        using var again = new RenamedNet(seed: 4);
        Assert.True(again.LoadWeights(path).IsExactFit);
    }

    [Fact]
    public void A_file_under_the_models_own_names_still_loads_as_no_file_prefix_fits_them()
    {
        string path = Path.Combine(folder, "own.safetensors");
        using (var model = new RenamedNet(seed: 3)) WeightsFile.Write(path, model.state_dict());
        using var loaded = new RenamedNet(seed: 4);
        Assert.True(loaded.LoadWeights(path).IsExactFit);
    }

    [Fact]
    public void Two_file_keys_renamed_onto_one_name_are_refused_before_anything_loads()
    {
        string path = Path.Combine(folder, "both.safetensors");
        using (var model = new RenamedNet(seed: 3))
        {
            var state = model.state_dict();
            var tensors = new Dictionary<string, Tensor>(state, StringComparer.Ordinal) { ["classifier.bias"] = state["head.fc.bias"] };
            WeightsFile.Write(path, tensors);
        }
        using var loaded = new RenamedNet(seed: 4);
        var before = loaded.state_dict()["head.fc.bias"].clone();
        var error = Assert.Throws<ArgumentException>(() => loaded.LoadWeights(path));
        Assert.Contains("'head.fc.bias'", error.Message);
        Assert.True(loaded.state_dict()["head.fc.bias"].equal(before).all().item<bool>());
    }

    [Fact]
    public void The_longest_prefix_wins_and_only_at_a_dot()
    {
        var renames = WeightRenames.Of(typeof(Prefixes));
        Assert.Equal("b.weight", renames.ToModel("a.weight"));
        Assert.Equal("c.weight", renames.ToModel("a.1.weight"));
        Assert.Equal("a10.weight", renames.ToModel("a10.weight"));
        Assert.Equal("a.1.weight", renames.ToFile("c.weight"));
        Assert.Same(WeightRenames.None, WeightRenames.Of(typeof(WeightRenamesTests)));
    }

    [RenameWeights("a", "b")]
    [RenameWeights("a.1", "c")]
    private sealed class Prefixes { }

    [Fact]
    public void A_number_placeholder_maps_a_numbered_family_both_ways_and_the_longest_fit_still_wins()
    {
        var renames = WeightRenames.Of(typeof(Numbered));
        Assert.Equal("fire3.squeeze.conv.weight", renames.ToModel("features.3.squeeze.weight"));
        Assert.Equal("fire12.expand.conv.bias", renames.ToModel("features.12.expand.bias"));
        Assert.Equal("block2layer15.norm1.weight", renames.ToModel("features.denseblock2.denselayer15.norm1.weight"));
        Assert.Equal("stem.conv.weight", renames.ToModel("features.0.weight"));          // the literal pair covers more than the pattern
        Assert.Equal("fire7.weight", renames.ToModel("features.7.weight"));
        Assert.Equal("features.x.weight", renames.ToModel("features.x.weight"));        // {n} is digits only
        Assert.Equal("features.10.squeeze.weight", renames.ToFile("fire10.squeeze.conv.weight"));
        Assert.Equal("features.denseblock2.denselayer15.conv2.weight", renames.ToFile("block2layer15.conv2.weight"));
        Assert.Equal("fire3x.weight", renames.ToFile("fire3x.weight"));                 // a prefix ends at a dot
    }

    [Fact]
    public void Sides_with_different_placeholders_are_refused_with_both_prefixes()
    {
        var e = Assert.Throws<ArgumentException>(() => WeightRenames.Of(typeof(Mismatched)));
        Assert.Contains("features.{n}", e.Message);
        Assert.Contains("has 1 {n} and the model prefix 0", e.Message);
    }

    [RenameWeights("features.{n}", "fire{n}")]
    [RenameWeights("features.{n}.squeeze", "fire{n}.squeeze.conv")]
    [RenameWeights("features.{n}.expand", "fire{n}.expand.conv")]
    [RenameWeights("features.0", "stem.conv")]
    [RenameWeights("features.denseblock{n}.denselayer{n}", "block{n}layer{n}")]
    private sealed class Numbered { }

    [RenameWeights("features.{n}", "fire")]
    private sealed class Mismatched { }
}
