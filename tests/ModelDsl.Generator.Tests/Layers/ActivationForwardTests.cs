using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>
/// The generated SiLU and ELU models run on real TorchSharp tensors and compute their formulas: the compilation is
/// emitted in memory, loaded, built and called like a user's model.
/// </summary>
public class ActivationForwardTests
{
    private static nn.Module<Tensor, Tensor> Build(string attributes)
    {
        string source = $"using ModelDsl;\n[Model(5)] {attributes} public partial class Act {{ }}";
        return GeneratorHarness.Instantiate<nn.Module<Tensor, Tensor>>(source, "Act");
    }

    private static readonly float[] Inputs = { -3f, -0.5f, 0f, 0.5f, 3f };

    [Fact]
    public void SiLU_computes_x_times_sigmoid_x()
    {
        using var model = Build("[SiLU]");
        using Tensor output = model.forward(tensor(Inputs).reshape(1, 5));
        float[] actual = output.data<float>().ToArray();
        for (int i = 0; i < Inputs.Length; i++) Assert.Equal(Inputs[i] / (1 + Math.Exp(-Inputs[i])), actual[i], 1e-6);
    }

    [Fact]
    public void ELU_computes_alpha_times_exp_minus_one_below_zero()
    {
        using var model = Build("[ELU(0.5)]");
        using Tensor output = model.forward(tensor(Inputs).reshape(1, 5));
        float[] actual = output.data<float>().ToArray();
        for (int i = 0; i < Inputs.Length; i++) Assert.Equal(Inputs[i] > 0 ? Inputs[i] : 0.5 * (Math.Exp(Inputs[i]) - 1), actual[i], 1e-6);
    }

    private static readonly float[] Wide = { -7f, -3f, -1.5f, 0f, 1.5f, 3f, 7f };

    /// <summary>PyTorch's definitions (torch.nn.ReLU6, Hardswish, Hardsigmoid, Mish docs), each kink of the piecewise ones included.</summary>
    [Theory]
    [InlineData("ReLU6")]
    [InlineData("Hardswish")]
    [InlineData("Hardsigmoid")]
    [InlineData("Mish")]
    public void Mobile_activations_compute_pytorchs_formulas(string name)
    {
        static double Relu6(double x) => Math.Min(Math.Max(0, x), 6);
        Func<double, double> formula = name switch
        {
            "ReLU6" => Relu6,
            "Hardswish" => x => x * Relu6(x + 3) / 6,
            "Hardsigmoid" => x => Relu6(x + 3) / 6,
            _ => x => x * Math.Tanh(Math.Log(1 + Math.Exp(x))),
        };
        string source = $"using ModelDsl;\n[Model(7)] [{name}] public partial class Act {{ }}";
        using var model = GeneratorHarness.Instantiate<nn.Module<Tensor, Tensor>>(source, "Act");
        float[] actual = model.forward(tensor(Wide).reshape(1, 7)).data<float>().ToArray();
        for (int i = 0; i < Wide.Length; i++) Assert.Equal(formula(Wide[i]), actual[i], 1e-6);
    }
}
