using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using ModelDsl.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Weights;

/// <summary>Weights in and out of PyTorch, against files PyTorch 1.13 wrote (fixtures/make_fixtures.py).</summary>
public sealed class WeightsTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Weights", "fixtures");
    private static readonly string[] FloatingKeys =
    {
        "dense1.weight", "dense1.bias", "batchnorm.weight", "batchnorm.bias", "batchnorm.running_mean", "batchnorm.running_var",
        "dense2.weight", "dense2.bias",
    };

    private readonly string folder = Directory.CreateTempSubdirectory("modeldsl-weights-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string Fixture(string name) => Path.Combine(Fixtures, name);

    private static Tensor Floats(string name, params long[] shape)
        => tensor(MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Fixture(name))).ToArray(), shape);

    private static Tensor EvalOutput(nn.Module<Tensor, Tensor> model)
    {
        model.eval();
        using var noGrad = no_grad();
        return model.forward(Floats("input.bin", 4, 8));
    }

    /// <summary>Every tensor's dtype, shape and raw bytes.</summary>
    private static Dictionary<string, (ScalarType, string, byte[])> Bits(nn.Module model)
        => model.state_dict().ToDictionary(p => p.Key, p => (p.Value.dtype, string.Join(",", p.Value.shape), p.Value.contiguous().bytes.ToArray()));

    private static void AssertSameBits(Dictionary<string, (ScalarType, string, byte[])> expected, nn.Module model)
    {
        var actual = Bits(model);
        Assert.Equal(expected.Keys.OrderBy(k => k), actual.Keys.OrderBy(k => k));
        foreach (var (key, (dtype, shape, bytes)) in expected)
        {
            Assert.True(actual[key].Item1 == dtype && actual[key].Item2 == shape, $"{key}: dtype or shape changed");
            Assert.True(bytes.AsSpan().SequenceEqual(actual[key].Item3), $"{key}: values changed");
        }
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        double difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= tolerance, $"max |difference| {difference} > {tolerance}");
    }

    [Fact]
    public void The_generated_state_dict_names_are_the_pytorch_modules_names()
    {
        using var model = new PyTorchTwin(seed: 1);
        using var file = new DisposableDictionary(WeightsFile.Read(Fixture("twin.pt")));
        Assert.Equal(file.Tensors.Keys.OrderBy(k => k), model.state_dict().Keys.OrderBy(k => k));
    }

    [Theory]
    [InlineData("twin.pt")]
    [InlineData("twin.safetensors")]
    public void A_strict_load_gives_pytorchs_outputs(string name)
    {
        using var model = new PyTorchTwin(seed: 1);
        WeightsLoadReport report = model.LoadWeights(Fixture(name));
        Assert.True(report.IsExactFit);
        Assert.Empty(report.Converted);
        AssertClose(Floats("output.bin", 4, 3), EvalOutput(model), 1e-6);
        Assert.Equal(7L, model.state_dict()["batchnorm.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void A_strict_load_lists_every_missing_unexpected_shape_and_dtype_mismatch_and_changes_nothing()
    {
        string path = Path.Combine(folder, "broken.safetensors");
        using (var source = new PyTorchTwin(seed: 2))
        {
            var state = source.state_dict().ToDictionary(p => p.Key, p => p.Value);
            state.Remove("dense2.bias");
            state["extra.weight"] = ones(2);
            state["dense1.weight"] = zeros(16, 9);
            state["batchnorm.weight"] = state["batchnorm.weight"].to(float16);
            WeightsFile.Write(path, state);
        }
        using var model = new PyTorchTwin(seed: 1);
        var before = Bits(model);

        var error = Assert.Throws<WeightsMismatchException>(() => model.LoadWeights(path));

        Assert.Contains("broken.safetensors", error.Message);
        Assert.Equal(new[] { "dense2.bias" }, error.Report.Missing);
        Assert.Equal(new[] { "extra.weight" }, error.Report.Unexpected);
        Assert.Equal(new[] { new TensorMismatch("dense1.weight", "[16, 9]", "[16, 8]") }, error.Report.ShapeMismatches);
        Assert.Equal(new[] { new TensorMismatch("batchnorm.weight", "Float16", "Float32") }, error.Report.DtypeMismatches);
        Assert.Equal(4, error.Mismatches.Count);
        foreach (string line in error.Mismatches) Assert.Contains(line, error.Message);
        AssertSameBits(before, model);
    }

    [Fact]
    public void Another_architecture_fails_with_every_shape_named()
    {
        using var model = new WiderTwin(seed: 1);
        var error = Assert.Throws<WeightsMismatchException>(() => model.LoadWeights(Fixture("twin.pt")));
        Assert.Contains("dense1.weight: file [16, 8], model [32, 8]", error.Message);
        Assert.Contains("dense2.weight: file [3, 16], model [3, 32]", error.Message);
        Assert.Equal(7, error.Report.ShapeMismatches.Count); // dense1.*, batchnorm.* (4), dense2.weight
    }

    [Fact]
    public void A_non_strict_load_returns_the_report_and_loads_what_fits()
    {
        using var model = new PyTorchTwin(seed: 1);
        Tensor biasBefore = model.state_dict()["dense2.bias"].clone();

        WeightsLoadReport report = model.LoadWeights(Fixture("twin_extra.pt"), new WeightsLoadOptions { Strict = false });

        Assert.False(report.IsExactFit);
        Assert.Equal(new[] { "dense2.bias" }, report.Missing);
        Assert.Equal(new[] { "extra.weight" }, report.Unexpected);
        Assert.True(model.state_dict()["dense2.bias"].eq(biasBefore).all().item<bool>(), "a missing key keeps the model's value");
        using var reference = new PyTorchTwin(seed: 3);
        reference.LoadWeights(Fixture("twin.pt"));
        Assert.True(model.state_dict()["dense2.weight"].eq(reference.state_dict()["dense2.weight"]).all().item<bool>());
        Assert.True(model.state_dict()["batchnorm.running_var"].eq(reference.state_dict()["batchnorm.running_var"]).all().item<bool>());
    }

    [Fact]
    public void A_non_strict_load_skips_tensors_of_another_shape()
    {
        using var model = new WiderTwin(seed: 1);
        Tensor weightBefore = model.state_dict()["dense1.weight"].clone();

        WeightsLoadReport report = model.LoadWeights(Fixture("twin.pt"), new WeightsLoadOptions { Strict = false });

        Assert.Equal(7, report.ShapeMismatches.Count);
        Assert.True(model.state_dict()["dense1.weight"].eq(weightBefore).all().item<bool>());
        using var file = new DisposableDictionary(WeightsFile.Read(Fixture("twin.pt")));
        Assert.True(model.state_dict()["dense2.bias"].eq(file.Tensors["dense2.bias"]).all().item<bool>(), "dense2.bias has the same shape and loads");
        Assert.Equal(7L, model.state_dict()["batchnorm.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void A_load_that_fails_midway_restores_every_tensor()
    {
        using var model = new PyTorchTwin(seed: 1);
        var before = Bits(model);
        var written = new List<string>();

        var error = Assert.Throws<IOException>(() => ModuleWeights.Load(model, Fixture("twin.pt"), new WeightsLoadOptions(), key =>
        {
            if (written.Count == 5) throw new IOException("disk gone");
            written.Add(key);
        }));

        Assert.Equal("disk gone", error.Message);
        Assert.Equal(5, written.Count); // five tensors had been overwritten when it failed
        AssertSameBits(before, model);
    }

    [Theory]
    [InlineData("twin_fp16.pt", "Float16")]
    [InlineData("twin_bf16.pt", "BFloat16")]
    public void Half_precision_files_are_a_dtype_mismatch_unless_conversion_is_asked(string name, string dtype)
    {
        using var model = new PyTorchTwin(seed: 1);
        var before = Bits(model);

        var error = Assert.Throws<WeightsMismatchException>(() => model.LoadWeights(Fixture(name)));

        Assert.Equal(FloatingKeys.OrderBy(k => k), error.Report.DtypeMismatches.Select(m => m.Key).OrderBy(k => k));
        Assert.All(error.Report.DtypeMismatches, m => Assert.Equal((dtype, "Float32"), (m.InFile, m.InModel)));
        Assert.Contains("ConvertFloatingDtypes", error.Message);
        AssertSameBits(before, model);
    }

    [Theory]
    [InlineData("twin_fp16.pt", "output_fp16.bin")]
    [InlineData("twin_bf16.pt", "output_bf16.bin")]
    public void Half_precision_files_convert_to_the_models_dtype_when_asked(string name, string outputs)
    {
        using var model = new PyTorchTwin(seed: 1);

        WeightsLoadReport report = model.LoadWeights(Fixture(name), new WeightsLoadOptions { ConvertFloatingDtypes = true });

        Assert.True(report.IsExactFit);
        Assert.Equal(FloatingKeys.OrderBy(k => k), report.Converted.OrderBy(k => k));
        Assert.All(model.state_dict().Values.Where(t => t.is_floating_point()), t => Assert.Equal(ScalarType.Float32, t.dtype));
        AssertClose(Floats(outputs, 4, 3), EvalOutput(model), 1e-6);
        // The conversion is real rounding: the full-precision outputs differ.
        Assert.True((Floats("output.bin", 4, 3) - EvalOutput(model)).abs().max().item<float>() > 1e-6);
    }

    [Theory]
    [InlineData("copy.pt")]
    [InlineData("copy.pth")]
    [InlineData("copy.bin")]
    [InlineData("copy.safetensors")]
    public void Saved_weights_load_back_bit_for_bit(string name)
    {
        string path = Path.Combine(folder, name);
        using var source = new PyTorchTwin(seed: 1);
        source.LoadWeights(Fixture("twin.pt")); // non-default buffers
        source.SaveWeights(path);

        using var copy = new PyTorchTwin(seed: 2);
        Assert.True(copy.LoadWeights(path).IsExactFit);

        AssertSameBits(Bits(source), copy);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public void A_saved_pytorch_file_is_a_torch_save_zip()
    {
        string path = Path.Combine(folder, "model.pt");
        using var model = new PyTorchTwin(seed: 1);
        model.SaveWeights(path);
        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains(names, n => n.EndsWith("/data.pkl", StringComparison.Ordinal));
        Assert.Contains(names, n => n.EndsWith("/version", StringComparison.Ordinal));
        Assert.Equal(9, names.Count(n => n.Contains("/data/", StringComparison.Ordinal))); // one storage per tensor
    }

    [Fact]
    public void A_saved_safetensors_file_has_the_formats_header_and_little_endian_data()
    {
        string path = Path.Combine(folder, "model.safetensors");
        using var model = new PyTorchTwin(seed: 1);
        model.SaveWeights(path);

        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = BitConverter.ToInt64(bytes, 0);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength));
        int dataStart = 8 + (int)headerLength;
        foreach (var (key, tensor) in model.state_dict())
        {
            JsonElement entry = header.RootElement.GetProperty(key);
            Assert.Equal(tensor.dtype == ScalarType.Int64 ? "I64" : "F32", entry.GetProperty("dtype").GetString());
            Assert.Equal(tensor.shape, entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
            long[] offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            byte[] data = bytes.AsSpan(dataStart + (int)offsets[0], (int)(offsets[1] - offsets[0])).ToArray();
            Assert.True(BitConverter.IsLittleEndian && data.AsSpan().SequenceEqual(tensor.contiguous().bytes), $"{key}: data differs");
        }
    }

    [Fact]
    public void Unknown_extensions_and_missing_files_are_refused_before_reading()
    {
        using var model = new PyTorchTwin(seed: 1);
        Assert.Throws<ArgumentException>(() => model.LoadWeights(Path.Combine(folder, "weights.onnx")));
        Assert.Throws<FileNotFoundException>(() => model.LoadWeights(Path.Combine(folder, "absent.pt")));
        Assert.Throws<ArgumentException>(() => model.SaveWeights(Path.Combine(folder, "weights.ckpt")));
    }

    private sealed class DisposableDictionary(Dictionary<string, Tensor> tensors) : IDisposable
    {
        public Dictionary<string, Tensor> Tensors { get; } = tensors;

        public void Dispose()
        {
            foreach (Tensor tensor in Tensors.Values) tensor.Dispose();
        }
    }
}
