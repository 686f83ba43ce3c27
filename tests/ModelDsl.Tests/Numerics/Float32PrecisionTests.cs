using System;
using System.IO;
using System.Linq;
using System.Runtime.Intrinsics.X86;
using ModelDsl.Data;
using ModelDsl.Tests.Models;
using ModelDsl.Tests.Weights;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Numerics;

/// <summary>
/// oneDNN's float32 precision switch (PyTorch's <c>torch.backends.mkldnn.&lt;op&gt;.fp32_precision</c>). The setting is
/// process-wide, so these tests run alone (<see cref="GlobalGeneratorCollection"/>) and put it back.
/// </summary>
[Collection(nameof(GlobalGeneratorCollection))]
public sealed class Float32PrecisionTests : IDisposable
{
    // 1 + 2⁻¹⁰ is a float32 but not a bfloat16 (8 significant bits: its neighbours are 1 and 1 + 2⁻⁷), so a kernel that
    // rounds its operands to bfloat16 reads it as 1 and one that does not keeps it.
    private const float NotABfloat16 = 1 + 1f / 1024;

    private readonly Float32Precision[] before;

    public Float32PrecisionTests()
    {
        TorchNative.EnsureLoaded();
        before = Enum.GetValues<Float32Op>().Select(LibTorchBackends.GetFloat32Precision).ToArray();
    }

    public void Dispose()
    {
        foreach (var op in Enum.GetValues<Float32Op>()) LibTorchBackends.SetFloat32Precision(op, before[(int)op]);
    }

    // Where these tests saw bfloat16 products: oneDNN on and a CPU with AMX-BF16 (CPUID leaf 7, EDX bit 22). Without
    // oneDNN or without bfloat16 instructions (AMX-BF16, or AVX512-BF16: leaf 7 subleaf 1, EAX bit 5) nothing can round.
    // In between (AVX512-BF16 alone) oneDNN may or may not pick a rounding kernel, so the tests accept either there.
    private static bool RoundsToBfloat16 => LibTorchBackends.OneDnnEnabled && HasAmxBf16;

    private static bool CannotRound => !LibTorchBackends.OneDnnEnabled || !(HasAmxBf16 || HasAvx512Bf16);

    private static bool HasAmxBf16 => X86Base.IsSupported && (X86Base.CpuId(7, 0).Edx & (1 << 22)) != 0;

    private static bool HasAvx512Bf16 => X86Base.IsSupported && (X86Base.CpuId(7, 1).Eax & (1 << 5)) != 0;

    private static void AssertRoundedWhereExpected(float value, float rounded, float exact)
    {
        if (RoundsToBfloat16) Assert.Equal(rounded, value);
        else if (CannotRound) Assert.Equal(exact, value);
        else Assert.Contains(value, new[] { rounded, exact });
    }

    [Theory]
    [InlineData(Float32Op.Conv)]
    [InlineData(Float32Op.Matmul)]
    public void Each_op_reads_back_what_was_set_and_leaves_the_others(Float32Op op)
    {
        Assert.True(LibTorchBackends.IsFloat32PrecisionSwitchable);
        foreach (var other in Enum.GetValues<Float32Op>()) LibTorchBackends.SetFloat32Precision(other, Float32Precision.Ieee);

        LibTorchBackends.SetFloat32Precision(op, Float32Precision.Bf16);
        foreach (var other in Enum.GetValues<Float32Op>())
            Assert.Equal(other == op ? Float32Precision.Bf16 : Float32Precision.Ieee, LibTorchBackends.GetFloat32Precision(other));

        LibTorchBackends.SetFloat32Precision(op, Float32Precision.Ieee);
        Assert.Equal(Float32Precision.Ieee, LibTorchBackends.GetFloat32Precision(op));
    }

    [Fact]
    public void Undefined_values_are_refused_before_reaching_libtorch()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LibTorchBackends.SetFloat32Precision((Float32Op)7, Float32Precision.Bf16));
        Assert.Throws<ArgumentOutOfRangeException>(() => LibTorchBackends.SetFloat32Precision(Float32Op.Conv, (Float32Precision)2));
    }

    [Fact]
    public void A_convolution_and_its_weight_gradient_round_their_operands_only_under_bf16()
    {
        // One input channel copied to the output by a centred 3×3 kernel: y = x exactly in float32, and the weight's
        // gradient under loss Σy is Σx over the 4·12·12 positions (all inside the padding for the centre tap).
        (float Output, float WeightGradient) Run(Float32Precision precision)
        {
            LibTorchBackends.SetFloat32Precision(Float32Op.Conv, precision);
            using var scope = NewDisposeScope();
            Tensor x = full(new long[] { 4, 16, 12, 12 }, NotABfloat16);
            Tensor w = zeros(16, 16, 3, 3);
            w[0, 0, 1, 1] = tensor(1f);
            w.requires_grad_();
            Tensor y = nn.functional.conv2d(x, w, padding: new long[] { 1, 1 });
            y.sum().backward();
            return (y[0, 0, 5, 5].item<float>(), w.grad![0, 0, 1, 1].item<float>());
        }

        var ieee = Run(Float32Precision.Ieee);
        Assert.Equal(NotABfloat16, ieee.Output);
        Assert.Equal(576 * NotABfloat16, ieee.WeightGradient, 576 * 1e-6f);

        // oneDNN is allowed, not told, to round: it picks a kernel per pass, and on the AMX machine this was written on the
        // forward pass took a bfloat16 one and the weight gradient a float32 one (ONEDNN_VERBOSE names them).
        var bf16 = Run(Float32Precision.Bf16);
        AssertRoundedWhereExpected(bf16.Output, 1f, NotABfloat16);

        // Without oneDNN libtorch convolves with its own float32 kernels, whatever the setting.
        var withoutOneDnn = LibTorchBackends.WithoutOneDnn(() => Run(Float32Precision.Bf16));
        Assert.Equal(NotABfloat16, withoutOneDnn.Output);
        Assert.Equal(576 * NotABfloat16, withoutOneDnn.WeightGradient, 576 * 1e-6f);
        Assert.True(Math.Abs(bf16.WeightGradient - 576) < 1e-3 || Math.Abs(bf16.WeightGradient - 576 * NotABfloat16) < 1e-3, $"weight gradient {bf16.WeightGradient}");
    }

    [Fact]
    public void Matrix_products_round_their_operands_only_under_bf16()
    {
        float[] Run(Float32Precision precision)
        {
            LibTorchBackends.SetFloat32Precision(Float32Op.Matmul, precision);
            using var scope = NewDisposeScope();
            Tensor a = full(new long[] { 64, 64 }, NotABfloat16), b = eye(64);
            return new[] { a.matmul(b), a.mm(b), a.unsqueeze(0).bmm(b.unsqueeze(0)).squeeze(0) }.Select(p => p[3, 5].item<float>()).ToArray();
        }

        Assert.All(Run(Float32Precision.Ieee), value => Assert.Equal(NotABfloat16, value));
        float[] bf16 = Run(Float32Precision.Bf16);
        Assert.All(bf16, value => AssertRoundedWhereExpected(value, 1f, NotABfloat16));
    }

    // Rounding each operand to bfloat16 moves it by at most 2⁻⁹ of its magnitude (round to nearest, 8 significant bits), so
    // a product moves by at most (2·2⁻⁹ + 2⁻¹⁸)|a||b|, and a sum of products by that times Σ|a||b| plus float32's own
    // rounding. The bound below is twice that, 2⁻⁷·Σ|a||b|, where Σ|a||b| is the same convolution of |x|, |w| and the
    // upstream |g|: for the output, the input gradient and the weight gradient alike. Which passes oneDNN actually runs in
    // bfloat16 depends on the shape (kernels per pass); on the AMX machine some pass of each geometry did, except the 1×1
    // convolution's, whose three passes gave float32's values bit for bit.
    [Theory]
    [InlineData(8, 16, 3, 1, 1, 1, false, true)]
    [InlineData(16, 32, 3, 2, 1, 1, false, true)]
    [InlineData(32, 16, 1, 1, 0, 1, false, false)]
    [InlineData(16, 16, 3, 1, 1, 4, false, true)]
    [InlineData(3, 24, 5, 1, 2, 1, false, true)]
    [InlineData(16, 8, 3, 2, 1, 1, true, true)]
    public void Bf16_convolutions_stay_within_the_rounding_bound_forward_and_backward(int inChannels, int outChannels, int kernel, int stride, int padding, int groups, bool transposed, bool roundedOnAmx)
    {
        var generator = new Generator((ulong)(inChannels * 1000 + outChannels * 10 + kernel));
        using var scope = NewDisposeScope();
        Tensor x = randn(new long[] { 4, inChannels, 10, 10 }, generator: generator);
        long[] weightShape = transposed ? new long[] { inChannels, outChannels / groups, kernel, kernel } : new long[] { outChannels, inChannels / groups, kernel, kernel };
        Tensor w = randn(weightShape, generator: generator);

        Tensor[] Run(Tensor input, Tensor weight, Tensor? upstream, Float32Precision precision)
        {
            LibTorchBackends.SetFloat32Precision(Float32Op.Conv, precision);
            Tensor i = input.detach().requires_grad_(), k = weight.detach().requires_grad_();
            Tensor y = transposed
                ? nn.functional.conv_transpose2d(i, k, strides: new long[] { stride, stride }, padding: new long[] { padding, padding }, groups: groups)
                : nn.functional.conv2d(i, k, strides: new long[] { stride, stride }, padding: new long[] { padding, padding }, groups: groups);
            Tensor g = upstream ?? randn(y.shape, generator: generator);
            y.backward(new[] { g });
            return new[] { y.detach(), i.grad!, k.grad!, g };
        }

        Tensor[] ieee = Run(x, w, null, Float32Precision.Ieee);
        Tensor[] bf16 = Run(x, w, ieee[3], Float32Precision.Bf16);
        Tensor[] magnitude = Run(x.abs(), w.abs(), ieee[3].abs(), Float32Precision.Ieee);
        string[] names = { "output", "input gradient", "weight gradient" };
        for (int t = 0; t < 3; t++)
        {
            Tensor excess = (bf16[t] - ieee[t]).abs() - (magnitude[t] * Math.Pow(2, -7) + 1e-5);
            Assert.True(excess.max().item<float>() <= 0, $"{names[t]}: bf16 − float32 exceeds 2⁻⁷·Σ|a||b| by {excess.max().item<float>():g3}");
        }
        if (RoundsToBfloat16 && roundedOnAmx)
            Assert.True(Enumerable.Range(0, 3).Any(t => bf16[t].not_equal(ieee[t]).any().item<bool>()), "every pass identical to float32: bf16 was not used");
    }

    [Fact]
    public void The_numerics_check_runs_at_float32_under_bf16_and_puts_the_setting_back()
    {
        foreach (var op in Enum.GetValues<Float32Op>()) LibTorchBackends.SetFloat32Precision(op, Float32Precision.Bf16);
        var report = NumericsCheck.Run(convolutionRounds: 1);
        Assert.True(report.Correct, report.ToString());
        Assert.All(Enum.GetValues<Float32Op>(), op => Assert.Equal(Float32Precision.Bf16, LibTorchBackends.GetFloat32Precision(op)));
    }

    [Theory]
    [InlineData("bf16", Float32Precision.Bf16)]
    [InlineData(" BF16 ", Float32Precision.Bf16)]
    [InlineData("ieee", Float32Precision.Ieee)]
    [InlineData("IEEE", Float32Precision.Ieee)]
    [InlineData("bfloat16", null)]
    [InlineData("tf32", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void The_environment_setting_knows_PyTorch_s_spellings(string? value, Float32Precision? expected)
        => Assert.Equal(expected, ConvolutionPrecisionSetting.Parse(value));

    [Fact]
    public void A_fit_of_a_model_with_a_convolution_says_when_its_products_may_be_bf16()
    {
        string Notes(Float32Precision precision)
        {
            LibTorchBackends.SetFloat32Precision(Float32Op.Conv, precision);
            using var train = new LabeledData(randn(new long[] { 12, 1, 20, 18 }, generator: new Generator(1)), randint(0, 5, new long[] { 12 }, generator: new Generator(2)));
            var output = new StringWriter();
            var model = new SmallCnn(seed: 1);
            new Trainer(model, optim.SGD(model.parameters(), 0.01),
                new TrainerOptions { Epochs = 1, BatchSize = 6, Seed = 1, Progress = new PlainProgressReporter(output) }).Fit(train);
            return output.ToString();
        }

        Assert.DoesNotContain("bfloat16", Notes(Float32Precision.Ieee));
        Assert.Contains("Trainer: oneDNN may multiply convolutions in bfloat16 (LibTorchBackends.SetFloat32Precision or MODELDSL_CONV_PRECISION=bf16)", Notes(Float32Precision.Bf16));
    }
}
