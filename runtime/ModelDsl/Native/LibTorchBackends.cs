using System;
using System.Runtime.InteropServices;

namespace ModelDsl;

/// <summary>
/// libtorch's process-wide switches for its optional CPU kernel libraries, which TorchSharp 0.107 does not expose: PyTorch's
/// <c>torch.backends.mkldnn.enabled</c> (oneDNN, formerly MKL-DNN: fast convolutions and LSTM/GRU),
/// <c>torch.backends.mkldnn.&lt;op&gt;.fp32_precision</c> (<see cref="SetFloat32Precision"/>) and
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

    /// <summary>
    /// The float32 precision oneDNN may use for <paramref name="op"/> (PyTorch's <c>torch.backends.mkldnn.&lt;op&gt;.fp32_precision</c>):
    /// <see cref="Float32Precision.Ieee"/> unless set, and where <see cref="IsFloat32PrecisionSwitchable"/> is false.
    /// </summary>
    public static Float32Precision GetFloat32Precision(Float32Op op)
        => IsFloat32PrecisionSwitchable && NativeFloat32Precision(GlobalContext(), OneDnnBackend, NativeOp(op)) == NativeBf16
            ? Float32Precision.Bf16
            : Float32Precision.Ieee;

    /// <summary>
    /// Lets oneDNN compute <paramref name="op"/> in <paramref name="precision"/> from the next call on (every thread; libtorch
    /// picks the kernel per call, so it may be switched at any time). Process-wide, as in PyTorch.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="op"/> or <paramref name="precision"/> is not a defined value.</exception>
    /// <exception cref="PlatformNotSupportedException">Where <see cref="IsFloat32PrecisionSwitchable"/> is false.</exception>
    public static void SetFloat32Precision(Float32Op op, Float32Precision precision)
    {
        int nativeOp = NativeOp(op);
        int nativePrecision = precision switch
        {
            Float32Precision.Ieee => NativeIeee,
            Float32Precision.Bf16 => NativeBf16,
            _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "LibTorchBackends.SetFloat32Precision: precision must be Ieee or Bf16."),
        };
        if (!IsFloat32PrecisionSwitchable)
            throw new PlatformNotSupportedException("LibTorchBackends.SetFloat32Precision: this platform's libtorch does not export at::Context::setFloat32Precision by its Itanium-ABI name.");
        SetNativeFloat32Precision(GlobalContext(), OneDnnBackend, nativeOp, nativePrecision);
    }

    /// <summary>True when this process's libtorch exports its float32 precision switch (libtorch 2.9 and later on Linux and macOS).</summary>
    public static bool IsFloat32PrecisionSwitchable => float32PrecisionSwitchable.Value;

    /// <summary>Runs <paramref name="action"/> with every oneDNN operation at <see cref="Float32Precision.Ieee"/> and restores each setting.</summary>
    public static T WithIeeeFloat32<T>(Func<T> action)
    {
        if (!IsFloat32PrecisionSwitchable) return action();
        var ops = Enum.GetValues<Float32Op>();
        var previous = Array.ConvertAll(ops, GetFloat32Precision);
        foreach (var op in ops) SetFloat32Precision(op, Float32Precision.Ieee);
        try { return action(); }
        finally
        {
            for (int i = 0; i < ops.Length; i++) SetFloat32Precision(ops[i], previous[i]);
        }
    }

    /// <summary>Runs <paramref name="action"/> with oneDNN off (where switchable) and restores the previous setting.</summary>
    public static T WithoutOneDnn<T>(Func<T> action)
    {
        if (!IsSwitchable || !OneDnnEnabled) return action();
        OneDnnEnabled = false;
        try { return action(); }
        finally { OneDnnEnabled = true; }
    }

    // libtorch 2.10's enums (aten/src/ATen/Context.h): Float32Backend { GENERIC, CUDA, MKLDNN }, Float32Op { ALL, CONV, RNN,
    // MATMUL }, Float32Precision { NONE, IEEE, TF32, BF16 }, read back through at::precision2str when this was written and
    // checked by the tests' known answers. libtorch throws a C++ exception (which would end the process) for a pair it does
    // not know, so only these values are ever passed.
    private const int OneDnnBackend = 2, NativeIeee = 1, NativeBf16 = 3;

    private static int NativeOp(Float32Op op) => op switch
    {
        Float32Op.Conv => 1,
        Float32Op.Matmul => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "LibTorchBackends: op must be Conv or Matmul."),
    };

    private static readonly Lazy<bool> float32PrecisionSwitchable = new(() =>
        IsSwitchable
        && NativeLibrary.TryLoad(LibTorch, typeof(LibTorchBackends).Assembly, null, out IntPtr library)
        && NativeLibrary.TryGetExport(library, SetFloat32PrecisionSymbol, out _)
        && NativeLibrary.TryGetExport(library, Float32PrecisionSymbol, out _));

    private const string SetFloat32PrecisionSymbol = "_ZN2at7Context19setFloat32PrecisionENS_14Float32BackendENS_9Float32OpENS_16Float32PrecisionE";
    private const string Float32PrecisionSymbol = "_ZNK2at7Context16float32PrecisionENS_14Float32BackendENS_9Float32OpE";

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

    [DllImport(LibTorch, EntryPoint = SetFloat32PrecisionSymbol)]
    private static extern void SetNativeFloat32Precision(IntPtr context, int backend, int op, int precision);

    [DllImport(LibTorch, EntryPoint = Float32PrecisionSymbol)]
    private static extern int NativeFloat32Precision(IntPtr context, int backend, int op);

    [DllImport(LibTorch, EntryPoint = "_ZN2at6native17_nnpack_availableEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool NnpackAvailableNative();
}
