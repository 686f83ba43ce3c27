using System;
using System.Runtime.InteropServices;

namespace ModelDsl;

/// <summary>
/// libtorch's process-wide switches for its optional CPU kernel libraries, which TorchSharp 0.107 does not expose: PyTorch's
/// <c>torch.backends.mkldnn.enabled</c> (oneDNN, formerly MKL-DNN: fast convolutions and LSTM/GRU) and
/// <c>torch.backends.nnpack.enabled</c>. With a library off, libtorch runs the same operations on its own kernels (im2col +
/// GEMM for convolutions, cell by cell for LSTM/GRU): the same results within float rounding, slower for convolutions. The
/// switches may be flipped at any time and apply to every thread.
/// </summary>
/// <remarks>
/// Written by hand because no library exposes them: libtorch exports these functions of its global context
/// (<c>at::globalContext()</c>) as C++ symbols only, so they are called by their Itanium-ABI names, which the Linux and
/// macOS builds of libtorch use. Elsewhere <see cref="IsSwitchable"/> is false, getters report libtorch's defaults and
/// setters throw. The P/Invokes load libtorch_cpu themselves, the same file TorchSharp loads.
/// </remarks>
public static class LibTorchBackends
{
    private const string LibTorch = "libtorch_cpu";

    private static readonly Lazy<bool> switchable = new(Probe);

    /// <summary>True when this process's libtorch exports the switches (Linux and macOS builds of TorchSharp's libtorch).</summary>
    public static bool IsSwitchable => switchable.Value;

    /// <summary>Whether libtorch may use oneDNN kernels (true by default).</summary>
    /// <exception cref="PlatformNotSupportedException">Set where <see cref="IsSwitchable"/> is false.</exception>
    public static bool OneDnnEnabled
    {
        get => !IsSwitchable || UserEnabledMkldnn(GlobalContext());
        set => SetUserEnabledMkldnn(Switchable(nameof(OneDnnEnabled)), value);
    }

    /// <summary>Whether libtorch may use NNPACK kernels (true by default; ModelDsl turns it off where NNPACK did not initialize).</summary>
    /// <exception cref="PlatformNotSupportedException">Set where <see cref="IsSwitchable"/> is false.</exception>
    public static bool NnpackEnabled
    {
        get => !IsSwitchable || UserEnabledNnpack(GlobalContext());
        set => SetUserEnabledNnpack(Switchable(nameof(NnpackEnabled)), value);
    }

    /// <summary>
    /// Whether NNPACK initialized on this CPU. libtorch logs "Could not initialize NNPACK! Reason: Unsupported hardware." each
    /// time this is asked and it did not, which is why <see cref="TorchNative.EnsureLoaded"/> asks once and turns it off.
    /// </summary>
    public static bool NnpackAvailable => IsSwitchable && NnpackAvailableNative();

    /// <summary>Runs <paramref name="action"/> with oneDNN off (where switchable) and restores the previous setting.</summary>
    public static T WithoutOneDnn<T>(Func<T> action)
    {
        if (!IsSwitchable || !OneDnnEnabled) return action();
        OneDnnEnabled = false;
        try { return action(); }
        finally { OneDnnEnabled = true; }
    }

    private static IntPtr Switchable(string setting)
        => IsSwitchable ? GlobalContext() : throw new PlatformNotSupportedException(
            $"LibTorchBackends.{setting}: this platform's libtorch does not export its context switches by their Itanium-ABI names.");

    private static bool Probe()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())) return false;
        try
        {
            _ = UserEnabledMkldnn(GlobalContext()) && UserEnabledNnpack(GlobalContext());
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport(LibTorch, EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport(LibTorch, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);

    [DllImport(LibTorch, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport(LibTorch, EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledNnpack(IntPtr context);

    [DllImport(LibTorch, EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport(LibTorch, EntryPoint = "_ZN2at6native17_nnpack_availableEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool NnpackAvailableNative();
}
