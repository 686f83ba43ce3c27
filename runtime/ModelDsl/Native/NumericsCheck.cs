using System;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Known-answer checks of libtorch's CPU kernels where TorchSharp 0.107's libtorch 2.10 (oneDNN 3.7.1) has been measured to
/// compute wrong results on AVX-512 machines: stacked LSTM/GRU layers (wrong by 0.15–0.24) and convolution gradients
/// (sometimes NaN). Each check runs the computation in float32 and in float64 and compares; libtorch never uses oneDNN in
/// float64, so the float64 result is the reference. docs/troubleshooting.md has the measurements and a standalone repro.
/// A third check multiplies small-integer matrices, whose products float32 holds exactly, and compares them with products
/// computed here without libtorch: it covers oneMKL's code path, which runs float and double products alike
/// (<see cref="MklCodePath"/>).
/// </summary>
/// <remarks>
/// The check seeds its own random numbers and restores TorchSharp's global generator afterwards, so running it changes no
/// other random draw. It runs with the current oneDNN setting (<see cref="LibTorchBackends.OneDnnEnabled"/>) and thread count,
/// and with float32 products (<see cref="Float32Precision.Ieee"/>) and autocast off for its duration whatever
/// <see cref="LibTorchBackends.SetFloat32Precision"/> and <see cref="Autocast"/> say.
/// </remarks>
public static class NumericsCheck
{
    /// <summary>Runs the three checks.</summary>
    /// <param name="convolutionRounds">Rounds over the 12 convolution geometries (each round is 12 forward + backward calls).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="convolutionRounds"/> is below 1.</exception>
    public static NumericsReport Run(int convolutionRounds = 4)
    {
        if (convolutionRounds < 1) throw new ArgumentOutOfRangeException(nameof(convolutionRounds), $"NumericsCheck: convolutionRounds must be at least 1, got {convolutionRounds}.");
        TorchNative.EnsureLoaded();
        return Autocast.Without(() => LibTorchBackends.WithIeeeFloat32(() => RunChecks(convolutionRounds)));
    }

    // At float32 precision whatever LibTorchBackends.SetFloat32Precision or an autocast scope says: the check looks for
    // wrong kernels, and bfloat16 products are off by design (about 4e-3 here), which would read as a fault.
    private static NumericsReport RunChecks(int convolutionRounds)
    {
        using var scope = NewDisposeScope();
        // nn.LSTM and nn.GRU draw their initial weights from the global generator: seed it, and put it back afterwards.
        Tensor globalState = get_rng_state();
        try
        {
            manual_seed(20261204);
            using var generator = new Generator(20261204);
            double recurrent = StackedRecurrentError(generator);
            var (calls, nonFinite, convolution) = ConvolutionErrors(generator, convolutionRounds);
            double matrixProduct = MatrixProductError(generator);
            return new NumericsReport(LibTorchBackends.OneDnnEnabled, recurrent, calls, nonFinite, convolution, matrixProduct);
        }
        finally
        {
            set_rng_state(globalState);
        }
    }

    // The two compositions reported wrong: LSTM(seq) → LSTM, and GRU(2 layers, seq) → tanh → LSTM. A single or a two-layer
    // LSTM alone was right, so the check stacks separate modules as generated code does.
    private static double StackedRecurrentError(Generator generator)
    {
        Tensor x = randn(new long[] { 5, 7, 8 }, generator: generator);
        using var lstmA = nn.LSTM(8, 32, batchFirst: true);
        using var lstmB = nn.LSTM(32, 16, batchFirst: true);
        using var gru = nn.GRU(8, 32, numLayers: 2, batchFirst: true);
        using var lstmC = nn.LSTM(32, 16, batchFirst: true);
        var modules = new nn.Module[] { lstmA, lstmB, gru, lstmC };

        Tensor Outputs(ScalarType type)
        {
            foreach (var module in modules) module.to(type);
            Tensor input = x.to(type);
            var (h, _, _) = lstmA.forward(input);
            var (y1, _, _) = lstmB.forward(h);
            var (g, _) = gru.forward(input);
            var (y2, _, _) = lstmC.forward(g.tanh());
            return cat(new[] { y1, y2 }, -1).to(float64);
        }

        using var noGrad = no_grad();
        Tensor single = Outputs(float32);
        return (single - Outputs(float64)).abs().max().item<double>();
    }

    // Channel counts that are not multiples of oneDNN's 16-channel blocks (and one that is half a block), on maps small
    // enough that the kernels' padded tails matter: the geometries where the NaN gradients were seen.
    private static (int Calls, int NonFinite, double MaxError) ConvolutionErrors(Generator generator, int rounds)
    {
        int calls = 0, nonFinite = 0;
        double maxError = 0;
        for (int round = 0; round < rounds; round++)
        foreach (bool transposed in new[] { false, true })
        foreach (int channels in new[] { 6, 8, 10 })
        foreach (int size in new[] { 4, 8 })
        {
            using var scope = NewDisposeScope();
            Tensor x = randn(new long[] { 4, channels, size, size }, generator: generator);
            Tensor w = randn(new long[] { channels, channels, 3, 3 }, generator: generator);
            var single = Convolution(x, w, transposed, float32);
            var reference = Convolution(x, w, transposed, float64);
            calls++;
            if (!AllFinite(single)) { nonFinite++; continue; }
            for (int i = 0; i < single.Length; i++) maxError = Math.Max(maxError, RelativeError(single[i], reference[i]));
        }
        return (calls, nonFinite, maxError);
    }

    // Products of matrices with entries in [-4, 4]: every partial sum is an integer below 2^24 in magnitude, so float32 and
    // float64 hold them exactly in any summation order and any correct kernel returns exactly the integer product. The shapes
    // reach oneMKL's different kernels: a dot product, odd sizes, a square block and a convolution's unfolded shape, each
    // also with transposed operands (its 'T' variants).
    private static double MatrixProductError(Generator generator)
    {
        double maxError = 0;
        foreach (var (m, k, n) in new[] { (1, 300, 1), (37, 291, 53), (192, 192, 192), (64, 576, 196) })
        {
            using var scope = NewDisposeScope();
            Tensor a = randint(-4, 5, new long[] { m, k }, dtype: int64, generator: generator);
            Tensor b = randint(-4, 5, new long[] { k, n }, dtype: int64, generator: generator);
            Tensor expected = tensor(IntegerProduct(a.data<long>().ToArray(), b.data<long>().ToArray(), m, k, n), new long[] { m, n }, float64);
            foreach (ScalarType type in new[] { float32, float64 })
            {
                Tensor x = a.to(type), y = b.to(type);
                foreach (Tensor product in new[] { x.matmul(y), x.t().contiguous().t().matmul(y.t().contiguous().t()) })
                    maxError = Math.Max(maxError, (product.to(float64) - expected).abs().max().item<double>());
            }
        }
        return maxError;
    }

    // The reference product of row-major [m×k] and [k×n] integer matrices, in 64-bit integers without libtorch. Written by
    // hand: it must not share any kernel with what it checks.
    internal static double[] IntegerProduct(long[] a, long[] b, int m, int k, int n)
    {
        var product = new double[m * n];
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            long sum = 0;
            for (int p = 0; p < k; p++) sum += a[i * k + p] * b[p * n + j];
            product[i * n + j] = sum;
        }
        return product;
    }

    // Output, input gradient and weight gradient of a 3×3 convolution (padding 1) under the loss sum(y), in float64.
    private static Tensor[] Convolution(Tensor x, Tensor w, bool transposed, ScalarType type)
    {
        Tensor input = x.to(type).detach().requires_grad_(), weight = w.to(type).detach().requires_grad_();
        Tensor y = transposed
            ? nn.functional.conv_transpose2d(input, weight, padding: new long[] { 1, 1 })
            : nn.functional.conv2d(input, weight, padding: new long[] { 1, 1 });
        y.sum().backward();
        return new[] { y.detach().to(float64), input.grad!.to(float64), weight.grad!.to(float64) };
    }

    private static bool AllFinite(Tensor[] tensors)
    {
        foreach (Tensor t in tensors)
            if (!t.isfinite().all().item<bool>()) return false;
        return true;
    }

    // Error relative to the reference's largest magnitude (at least 1): the gradients of a 3×3×C convolution summed over a
    // batch reach tens, where float32 rounding alone is about 1e-6 in absolute terms.
    private static double RelativeError(Tensor actual, Tensor expected)
        => (actual - expected).abs().max().item<double>() / Math.Max(1, expected.abs().max().item<double>());
}
