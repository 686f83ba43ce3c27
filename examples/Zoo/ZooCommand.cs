using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using ModelDsl.Onnx;
using ModelDsl.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Zoo;

/// <summary>
/// The zoo's command line: <c>list</c>, and <c>run ARCH --weights W --input X --output Y [--save S] [--onnx O]</c>, which
/// loads a torchvision state_dict strictly, runs the declaration in eval mode on the <c>input</c> tensor of X and writes
/// its outputs to Y as PyTorch's <c>torch.load</c> reads them. Returns the exit code: 0, or 1 with a message naming the
/// key, shape or file at fault, 2 for a bad command line.
/// </summary>
public static class ZooCommand
{
    public const string Usage = "usage: list | run ARCH --weights W --input X --output Y [--save S] [--onnx O]";

    public static int Execute(string[] args, TextWriter output, TextWriter error)
    {
        if (args is ["list"])
        {
            foreach (Architecture architecture in ZooCatalog.All) output.WriteLine(architecture.Name);
            return 0;
        }
        string? problem = null;
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        if (args.Length < 2 || args[0] != "run" || !TryOptions(args.Skip(2).ToArray(), options, out problem))
        {
            error.WriteLine(problem ?? Usage);
            return 2;
        }
        foreach (string required in new[] { "--weights", "--input", "--output" })
            if (!options.ContainsKey(required))
            {
                error.WriteLine($"{required} is required; {Usage}");
                return 2;
            }
        try
        {
            Run(ZooCatalog.Find(args[1]), options, output);
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or WeightsMismatchException or UnauthorizedAccessException or OnnxRuntimeException)
        {
            error.WriteLine(e.Message);
            return 1;
        }
    }

    private static void Run(Architecture architecture, Dictionary<string, string> options, TextWriter log)
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        using nn.Module model = ModuleWeights.FromFile(options["--weights"], architecture.Create);
        model.eval();
        Tensor input = ReadInput(options["--input"]);
        IReadOnlyDictionary<string, Tensor> outputs;
        using (no_grad()) outputs = architecture.Forward(model, input);
        WeightsFile.Write(options["--output"], outputs);
        long parameters = model.parameters().Sum(p => p.numel());
        log.WriteLine($"{architecture.Name}: {parameters:N0} parameters; " +
                      string.Join(", ", outputs.Select(o => $"{o.Key} [{string.Join(", ", o.Value.shape)}]")) +
                      $" written to {options["--output"]} in {clock.Elapsed.TotalSeconds:0.00} s");
        if (options.TryGetValue("--save", out string? save))
        {
            model.SaveWeights(save);
            log.WriteLine($"weights written to {save}");
        }
        if (options.TryGetValue("--onnx", out string? onnx))
        {
            ((IOnnxExportable)model).ExportOnnx(onnx);
            log.WriteLine($"ONNX written to {onnx}; ONNX Runtime's outputs differ from TorchSharp's by at most {OnnxDifference(onnx, input, outputs):G3}");
        }
    }

    /// <summary>The <c>input</c> tensor of a <c>torch.save({"input": x}, path)</c> file, float32 [B, 3, 224, 224].</summary>
    private static Tensor ReadInput(string path)
    {
        Dictionary<string, Tensor> file = WeightsFile.Read(path);
        if (!file.TryGetValue("input", out Tensor? input))
            throw new InvalidDataException($"'{path}' has no tensor named 'input' (it has {string.Join(", ", file.Keys.Select(k => $"'{k}'"))}); write it with torch.save({{\"input\": x}}, path).");
        if (input.dtype != ScalarType.Float32 || input.dim() != 4 || input.shape[1] != 3 || input.shape[2] != 224 || input.shape[3] != 224)
            throw new InvalidDataException($"'{path}': 'input' must be float32 [B, 3, 224, 224], not {input.dtype} [{string.Join(", ", input.shape)}].");
        return input;
    }

    /// <summary>The largest |ONNX Runtime − TorchSharp| over every output, each ONNX output matched by name.</summary>
    private static double OnnxDifference(string path, Tensor input, IReadOnlyDictionary<string, Tensor> expected)
    {
        using var session = new InferenceSession(path);
        float[] data = input.contiguous().data<float>().ToArray();
        var feed = new[] { NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), new DenseTensor(data, input.shape.Select(d => (int)d).ToArray())) };
        using var results = session.Run(feed);
        double worst = 0;
        foreach (var result in results)
        {
            string name = expected.Count == 1 ? expected.Keys.Single() : expected.Keys.Single(k => string.Equals(k, result.Name, StringComparison.OrdinalIgnoreCase));
            float[] want = expected[name].contiguous().data<float>().ToArray();
            float[] got = result.AsEnumerable<float>().ToArray();
            if (got.Length != want.Length) throw new InvalidDataException($"ONNX output '{result.Name}' has {got.Length} values, TorchSharp's '{name}' {want.Length}.");
            for (int i = 0; i < got.Length; i++) worst = Math.Max(worst, Math.Abs(got[i] - want[i]));
        }
        return worst;
    }

    private static bool TryOptions(string[] args, Dictionary<string, string> options, out string? problem)
    {
        problem = null;
        var known = new[] { "--weights", "--input", "--output", "--save", "--onnx" };
        for (int i = 0; i < args.Length; i += 2)
        {
            if (!known.Contains(args[i]) || i + 1 >= args.Length)
            {
                problem = $"bad argument '{args[i]}'; {Usage}";
                return false;
            }
            options[args[i]] = args[i + 1];
        }
        return true;
    }
}
