using System;
using System.Runtime.Intrinsics.X86;
using ModelDsl;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Numerics;

/// <summary>
/// oneMKL's code path (<see cref="MklCodePath"/>): chosen by the CPU's instruction sets on AMD CPUs with AVX-512, and
/// exact on products that float arithmetic holds exactly, over a sweep of shapes and every operand layout. This assembly
/// calls <see cref="TorchNative.EnsureLoaded"/> in its module initializer, before any test multiplies matrices, as a
/// program does through its first model.
/// </summary>
public class MklCodePathTests(ITestOutputHelper output)
{
    [Fact]
    public void The_outcome_follows_the_CPU_vendor_and_instruction_sets()
    {
        TorchNative.EnsureLoaded();
        string vendor = MklCodePath.CpuVendor();
        output.WriteLine($"CPU vendor {vendor}, AVX-512F {Avx512F.IsSupported}: {MklCodePath.Outcome}, oneMKL path {MklCodePath.ChosenPath}");
        Assert.True(OperatingSystem.IsLinux() && X86Base.IsSupported, "this repository's CI runs on x86-64 Linux");

        MklCodePathOutcome expected = vendor switch
        {
            "GenuineIntel" => MklCodePathOutcome.AlreadyIntelPath,
            "AuthenticAMD" when Avx512F.IsSupported => Environment.GetEnvironmentVariable("MODELDSL_MKL_INTEL_PATH") == "0"
                ? MklCodePathOutcome.TurnedOff : MklCodePathOutcome.Selected,
            _ => MklCodePathOutcome.NotSelectedForThisCpu,
        };
        Assert.Equal(expected, MklCodePath.Outcome);
        Assert.Equal(expected, MklCodePath.Select()); // once per process
        // The numerics check has multiplied matrices by now, so oneMKL has chosen; on an AMD CPU its generic path is 0.
        Assert.NotNull(MklCodePath.ChosenPath);
        if (expected is MklCodePathOutcome.Selected or MklCodePathOutcome.AlreadyIntelPath)
            Assert.NotEqual(0, MklCodePath.ChosenPath);
    }

    // Entries in [-4, 4] and k ≤ 400: every partial sum is an integer below 2^24, which float32 holds exactly whatever
    // the order of summation, so a correct kernel on any path returns exactly the integer product.
    [Fact]
    public void Matrix_products_of_small_integers_are_exact_over_a_sweep_of_shapes_layouts_and_dtypes()
    {
        TorchNative.EnsureLoaded();
        var random = new Random(20261205);
        int cases = 0;
        for (int i = 0; i < 40; i++)
        {
            int m = Size(random), k = Size(random), n = Size(random);
            using var scope = NewDisposeScope();
            using var generator = new Generator(20261205UL + (ulong)i);
            Tensor a = randint(-4, 5, new long[] { m, k }, dtype: int64, generator: generator);
            Tensor b = randint(-4, 5, new long[] { k, n }, dtype: int64, generator: generator);
            Tensor bias = randint(-4, 5, new long[] { n }, dtype: int64, generator: generator);
            Tensor expected = Product(a, b);
            foreach (ScalarType type in new[] { float32, float64 })
            {
                Tensor x = a.to(type), y = b.to(type);
                Tensor xColumnMajor = x.t().contiguous().t(), yColumnMajor = y.t().contiguous().t();
                AssertExact(expected, x.matmul(y), m, k, n, type, "row-major operands");
                AssertExact(expected, xColumnMajor.matmul(yColumnMajor), m, k, n, type, "column-major operands");
                AssertExact(expected, x.matmul(yColumnMajor), m, k, n, type, "mixed operands");
                // A Linear layer's form: addmm with the weight transposed and a bias.
                AssertExact(expected + bias, nn.functional.linear(x, y.t().contiguous(), bias.to(type)), m, k, n, type, "linear");
                // A batch of two: bmm.
                Tensor batch = stack(new[] { x, -x }).bmm(stack(new[] { y, y }));
                AssertExact(expected, batch[0], m, k, n, type, "bmm, first");
                AssertExact(-expected, batch[1], m, k, n, type, "bmm, second");
                cases++;
            }
        }
        Assert.Equal(80, cases);
    }

    private static int Size(Random random) => random.Next(4) == 0 ? random.Next(1, 8) : random.Next(8, 400);

    private static void AssertExact(Tensor expected, Tensor actual, int m, int k, int n, ScalarType type, string form)
    {
        double error = (actual.to(float64) - expected.to(float64)).abs().max().item<double>();
        Assert.True(error == 0, $"{form}, {type}, [{m}×{k}]·[{k}×{n}]: max |error| {error} against the exact integer product (path {MklCodePath.ChosenPath})");
    }

    // The exact product, computed without libtorch's float kernels (the numerics check's own reference).
    private static Tensor Product(Tensor a, Tensor b)
    {
        int m = (int)a.shape[0], k = (int)a.shape[1], n = (int)b.shape[1];
        return tensor(NumericsCheck.IntegerProduct(a.data<long>().ToArray(), b.data<long>().ToArray(), m, k, n), new long[] { m, n }, float64);
    }
}
