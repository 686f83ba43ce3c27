using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Weights;
using Xunit;
using Zoo;
using static TorchSharp.torch;

namespace ModelDsl.Zoo.Tests;

/// <summary>The command line the issue fixes: <c>list</c>, <c>run</c> with its files, and errors that name the key, shape or file.</summary>
public sealed class ZooCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("zoo-cli").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private (int Code, string Output, string Error) Execute(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = ZooCommand.Execute(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private string Path(string name) => System.IO.Path.Combine(directory, name);

    private string WriteWeights(string name, Func<(string Key, long[] Shape), bool>? keep = null)
    {
        string path = Path(name);
        WeightsFile.Write(path, ZooFormula.StateDict(TorchvisionManifest.Of("resnet18").Where(keep ?? (_ => true))));
        return path;
    }

    private string WriteInput(params long[] shape)
    {
        string path = Path("input.pt");
        WeightsFile.Write(path, new Dictionary<string, Tensor> { ["input"] = ZooFormula.Value("input", shape) });
        return path;
    }

    [Fact]
    public void List_prints_every_architecture_one_a_line()
    {
        var (code, output, _) = Execute("list");
        Assert.Equal(0, code);
        Assert.Equal(ZooCatalog.All.Select(a => a.Name), output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
    }

    [Fact]
    public void Run_writes_the_output_the_weights_and_an_onnx_file_that_agree()
    {
        string weights = WriteWeights("resnet18.pt"), input = WriteInput(1, 3, 224, 224);
        var (code, output, error) = Execute("run", "resnet18", "--weights", weights, "--input", input, "--output", Path("y.pt"),
            "--save", Path("back.safetensors"), "--onnx", Path("model.onnx"));
        Assert.True(code == 0, error);
        Tensor y = WeightsFile.Read(Path("y.pt"))["output"];
        Assert.Equal(new long[] { 1, 1000 }, y.shape);
        Assert.Equal(ScalarType.Float32, y.dtype);

        // The weights come back under torchvision's keys, bit for bit.
        Dictionary<string, Tensor> original = WeightsFile.Read(weights), back = WeightsFile.Read(Path("back.safetensors"));
        Assert.Equal(original.Keys.Order(StringComparer.Ordinal), back.Keys.Order(StringComparer.Ordinal));
        Assert.All(original, p => Assert.True(p.Value.equal(back[p.Key]).all().item<bool>(), p.Key));
        Assert.Contains("ONNX Runtime's outputs differ from TorchSharp's by at most", output);
        Assert.True(new FileInfo(Path("model.onnx")).Length > 40_000_000, "the ONNX file holds the 11.7M float weights");
    }

    [Fact]
    public void A_missing_key_fails_naming_it_and_writes_no_output()
    {
        string weights = WriteWeights("short.pt", k => k.Key != "layer3.1.bn2.running_var");
        var (code, _, error) = Execute("run", "resnet18", "--weights", weights, "--input", WriteInput(1, 3, 224, 224), "--output", Path("y.pt"));
        Assert.Equal(1, code);
        Assert.Contains("layer3.1.bn2.running_var", error);
        Assert.False(File.Exists(Path("y.pt")));
    }

    [Fact]
    public void An_input_of_the_wrong_shape_fails_naming_both_shapes()
    {
        var (code, _, error) = Execute("run", "resnet18", "--weights", WriteWeights("w.pt"), "--input", WriteInput(1, 3, 64, 64), "--output", Path("y.pt"));
        Assert.Equal(1, code);
        Assert.Contains("[B, 3, 224, 224]", error);
        Assert.Contains("[1, 3, 64, 64]", error);
    }

    [Theory]
    [InlineData("run", "resnet18", "--weights", "w.pt")]
    [InlineData("run", "resnet18", "--weights", "w.pt", "--input", "x.pt", "--output", "y.pt", "--bogus", "1")]
    [InlineData("show")]
    public void A_bad_command_line_exits_2_with_the_usage(params string[] args)
    {
        var (code, _, error) = Execute(args);
        Assert.Equal(2, code);
        Assert.Contains("usage:", error);
    }

    [Fact]
    public void An_unknown_architecture_lists_the_known_ones()
    {
        var (code, _, error) = Execute("run", "alexnet", "--weights", "w.pt", "--input", "x.pt", "--output", "y.pt");
        Assert.Equal(1, code);
        Assert.Contains("'alexnet'", error);
        Assert.Contains("resnet18", error);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var (code, _, error) = Execute("run", "resnet18", "--weights", Path("nowhere.pt"), "--input", "x.pt", "--output", "y.pt");
        Assert.Equal(1, code);
        Assert.Contains("nowhere.pt", error);
    }
}
