using System;
using System.Threading;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Loads TorchSharp's native library once and turns the loader's bare <see cref="DllNotFoundException"/>
/// into an explanation, then checks once that libtorch computes right on this CPU (<see cref="NumericsGuard"/>).
/// Generated model constructors and the Trainer call <see cref="EnsureLoaded"/> first.
/// </summary>
public static class TorchNative
{
    private static int loaded;

    /// <summary>
    /// Runs one tiny tensor op, then applies ModelDsl's native settings once (<see cref="MklCodePath.Select"/>,
    /// <see cref="NativeAllocator.Tune"/>, NNPACK off where it did not initialize, <see cref="NumericsGuard.EnsureChecked"/>,
    /// then <c>MODELDSL_CONV_PRECISION</c>, in that order: oneMKL's code path must be chosen before the check's first matrix
    /// product); throws <see cref="TorchNativeLibraryException"/>
    /// if the native library cannot load.
    /// </summary>
    public static void EnsureLoaded()
    {
        if (Volatile.Read(ref loaded) == 1) return;
        try
        {
            using Tensor probe = zeros(1);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException or NotSupportedException)
        {
            throw new TorchNativeLibraryException(Explain(e.ToString()), e);
        }
        Volatile.Write(ref loaded, 1);
        if (MklCodePath.Select() == MklCodePathOutcome.TooLate)
            Console.Error.WriteLine("ModelDsl: oneMKL already runs its generic path on this CPU (a matrix product ran before ModelDsl's first use), "
                + "so the path for this CPU's instruction sets stays off for this process; call TorchNative.EnsureLoaded() before any other libtorch work. See docs/speed.md.");
        NativeAllocator.Tune();
        QuietNnpack();
        NumericsGuard.EnsureChecked();
        ConvolutionPrecisionSetting.Apply();
    }

    // libtorch logs "Could not initialize NNPACK! Reason: Unsupported hardware." each time a convolution asks whether NNPACK
    // (an optional convolution library) works, which prints the line several times per program on CPUs it does not support.
    // Asking once here and turning NNPACK off where it failed (PyTorch's torch.backends.nnpack.enabled = False) leaves one
    // line; the convolutions run as before, on the kernels libtorch falls back to.
    private static void QuietNnpack()
    {
        if (LibTorchBackends.IsSwitchable && LibTorchBackends.NnpackEnabled && !LibTorchBackends.NnpackAvailable)
            LibTorchBackends.NnpackEnabled = false;
    }

    /// <summary>The explanation for a loader error text (public so it can be tested without a broken machine).</summary>
    public static string Explain(string loaderError)
    {
        if (loaderError.Contains("GLIBCXX_3.4.32", StringComparison.Ordinal))
        {
            return "TorchSharp's native library (libLibTorchSharp.so) needs GLIBCXX_3.4.32 (GCC 13's libstdc++), "
                + "which this system's libstdc++ lacks (Debian 12, Ubuntu 22.04). ModelDsl's build step marks that "
                + "requirement weak in the build output's copy: build through MSBuild (dotnet build/run/test) with "
                + "ModelDsl's Directory.Build.targets or NuGet package so the step runs, or install a libstdc++ from GCC 13+. "
                + "Loader said: " + FirstLine(loaderError);
        }
        return "TorchSharp's native library could not be loaded. Reference a TorchSharp backend package "
            + "(TorchSharp-cpu, or TorchSharp-cuda-linux / -windows for a GPU) and check that "
            + "runtimes/<rid>/native/ in the build output holds libLibTorchSharp and libtorch. "
            + "Loader said: " + FirstLine(loaderError);
    }

    private static string FirstLine(string text)
    {
        int end = text.IndexOf('\n');
        return end < 0 ? text : text[..end].TrimEnd();
    }
}
