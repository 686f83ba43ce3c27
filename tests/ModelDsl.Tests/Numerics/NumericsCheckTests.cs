using ModelDsl;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Numerics;

/// <summary>
/// The known-answer checks of libtorch's kernels that have computed wrong results on some AVX-512 CPUs. The first test is
/// the CI canary: it prints what libtorch computed before any remedy, so a libtorch that starts (or stops) computing these
/// kernels wrong on the CI machine shows in the log, and it fails if ModelDsl's remedy does not make them right.
/// </summary>
public class NumericsCheckTests(ITestOutputHelper output)
{
    [Fact]
    public void After_the_startup_guard_stacked_recurrent_layers_and_convolution_gradients_are_right_on_this_CPU()
    {
        TorchNative.EnsureLoaded();
        Assert.NotNull(NumericsGuard.Initial);
        output.WriteLine("before any remedy: " + NumericsGuard.Initial);
        output.WriteLine("remedy: " + (NumericsGuard.Remedy ?? "none needed"));

        Assert.True(NumericsGuard.Final!.Correct, NumericsGuard.Final.ToString());
        Assert.Equal(NumericsGuard.Initial!.Correct, NumericsGuard.Remedy is null);
        // A fresh, longer run of the check with the process's settings as the guard left them.
        var again = NumericsCheck.Run(convolutionRounds: 10);
        output.WriteLine("now: " + again);
        Assert.True(again.Correct, again.ToString());
        Assert.Equal(120, again.ConvolutionCalls);
    }

    [Fact]
    public void Switching_oneDNN_off_gives_the_same_results_within_float_rounding_and_switches_back()
    {
        Assert.True(LibTorchBackends.IsSwitchable, "libtorch_cpu on Linux exports its context switches");
        bool before = LibTorchBackends.OneDnnEnabled;
        var without = LibTorchBackends.WithoutOneDnn(() => NumericsCheck.Run(convolutionRounds: 1));
        Assert.Equal(before, LibTorchBackends.OneDnnEnabled);
        Assert.False(without.OneDnnEnabled);
        Assert.True(without.Correct, without.ToString());

        LibTorchBackends.OneDnnEnabled = false;
        try { Assert.False(LibTorchBackends.OneDnnEnabled); }
        finally { LibTorchBackends.OneDnnEnabled = before; }
        Assert.Equal(before, LibTorchBackends.OneDnnEnabled);
    }

    [Fact]
    public void The_check_leaves_the_global_generator_as_it_was()
    {
        manual_seed(5);
        using Tensor expected = randn(16);
        manual_seed(5);
        NumericsCheck.Run(convolutionRounds: 1);
        using Tensor actual = randn(16);
        Assert.True(actual.equal(expected).all().item<bool>());
    }

    [Fact]
    public void NNPACK_is_left_on_where_it_initialized_and_turned_off_where_it_did_not()
    {
        TorchNative.EnsureLoaded();
        Assert.Equal(LibTorchBackends.NnpackAvailable, LibTorchBackends.NnpackEnabled);
    }

    [Theory]
    [InlineData(4e-8, 0, 3e-7, 0, true)]      // what a correct CPU measures
    [InlineData(0.235, 0, 3e-7, 0, false)]    // the stacked-LSTM fault as reported
    [InlineData(4e-8, 1, 3e-7, 0, false)]     // one NaN gradient in the convolution calls
    [InlineData(4e-8, 0, 2e-3, 0, false)]     // finite but wrong convolution
    [InlineData(4e-8, 0, 3e-7, 1, false)]     // an integer product off by one: exact products admit no error
    public void A_report_is_correct_only_within_the_tolerance_and_with_every_call_finite(double recurrent, int nonFinite, double convolution, double matrixProduct, bool correct)
        => Assert.Equal(correct, new NumericsReport(true, recurrent, 24, nonFinite, convolution, matrixProduct).Correct);
}
