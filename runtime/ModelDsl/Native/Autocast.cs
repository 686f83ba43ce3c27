using System;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// libtorch's automatic mixed precision on the CPU: PyTorch's <c>torch.autocast(device_type="cpu", dtype=torch.bfloat16)</c>,
/// which TorchSharp 0.107 does not expose. Inside a scope, the operations on libtorch's lower-precision list
/// (convolutions, <c>linear</c>, <c>matmul</c>, <c>bmm</c>, LSTM, attention…) cast their float32 inputs to bfloat16 and
/// return bfloat16; those on its float32 list (the losses: cross-entropy, NLL, MSE…) compute in float32; the rest run in
/// whatever type they are given. Parameters stay float32 (the casts are recorded by autograd, so their gradients arrive in
/// float32), and the backward pass needs no scope: it replays what the forward recorded.
/// </summary>
/// <remarks>
/// <para>What it buys: on CPUs with bfloat16 instructions (AMX-BF16, AVX512-BF16) oneDNN runs every pass of a bfloat16
/// convolution, weight gradients included, on them, and activations take half the memory. ResNetMnist's training step at
/// one thread on a Xeon with AMX: 45–46 → 25 ms. What it costs: bfloat16 keeps 8 significant bits, so each such operation's
/// result is rounded to about 3 decimal digits (relative error up to 2⁻⁹), and those errors compound through the layers;
/// bfloat16 has float32's exponent range, so unlike float16 no loss scaling is needed (Kalamkar et al., "A Study of
/// BFLOAT16 for Deep Learning Training", 2019). On a CPU without bfloat16 instructions libtorch converts in software; that
/// was not measured.</para>
/// <para>The state is per thread, as in libtorch: a scope applies to the thread that entered it and must be disposed there.
/// Scopes nest; leaving the outermost one clears libtorch's cache of cast weights. <see cref="Training.TrainerOptions.Autocast"/>
/// runs each training step's forward pass and loss in a scope.</para>
/// <para>Written by hand because TorchSharp has no binding: the P/Invokes call libtorch's <c>at::autocast</c> functions by
/// their Itanium-ABI names, which the Linux and macOS builds export (<see cref="IsAvailable"/>).</para>
/// </remarks>
public static class Autocast
{
    private const string LibTorch = "libtorch_cpu";
    private const sbyte Cpu = 0;   // c10::DeviceType::CPU

    private static readonly Lazy<bool> available = new(Probe);

    /// <summary>True where this process's libtorch exports its autocast functions (Linux and macOS builds).</summary>
    public static bool IsAvailable => available.Value;

    /// <summary>
    /// True when the process started with <c>MODELDSL_AUTOCAST=bf16</c>: the default of <see cref="Training.TrainerOptions.Autocast"/>
    /// and <see cref="BaggingOptions.Autocast"/>, so a program can train under autocast without code.
    /// </summary>
    public static bool RequestedByEnvironment { get; } = Requests(Environment.GetEnvironmentVariable("MODELDSL_AUTOCAST"));

    /// <summary>Whether a value of <c>MODELDSL_AUTOCAST</c> asks for autocast: <c>bf16</c> in any case, as PyTorch spells the type.</summary>
    internal static bool Requests(string? value) => string.Equals(value?.Trim(), "bf16", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether autocast is on for the CPU on this thread.</summary>
    public static bool IsEnabled => IsAvailable && IsEnabledNative(Cpu);

    /// <summary>
    /// Turns autocast on for the CPU on this thread until the returned scope is disposed, which restores the previous
    /// state. <paramref name="dtype"/> is the lower precision: <see cref="ScalarType.BFloat16"/>, the one libtorch's CPU
    /// kernels are built for.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is not bfloat16.</exception>
    /// <exception cref="PlatformNotSupportedException">Where <see cref="IsAvailable"/> is false.</exception>
    public static IDisposable Enable(ScalarType dtype = ScalarType.BFloat16)
    {
        if (dtype != ScalarType.BFloat16)
            throw new ArgumentException($"Autocast.Enable: the CPU autocasts to BFloat16 only, got {dtype}.", nameof(dtype));
        if (!IsAvailable)
            throw new PlatformNotSupportedException("Autocast.Enable: this platform's libtorch does not export at::autocast's functions by their Itanium-ABI names.");
        return new Scope((sbyte)dtype);
    }

    /// <summary>Runs <paramref name="action"/> with autocast off on this thread, then restores the state (for checks that must compute in float32).</summary>
    internal static T Without<T>(Func<T> action)
    {
        if (!IsEnabled) return action();
        SetEnabled(Cpu, false);
        try { return action(); }
        finally { SetEnabled(Cpu, true); }
    }

    private sealed class Scope : IDisposable
    {
        private readonly bool previousEnabled;
        private readonly sbyte previousDtype;
        private bool disposed;

        public Scope(sbyte dtype)
        {
            TorchNative.EnsureLoaded();
            previousEnabled = IsEnabledNative(Cpu);
            previousDtype = GetDtype(Cpu);
            SetDtype(Cpu, dtype);
            SetEnabled(Cpu, true);
            IncrementNesting();
        }

        // torch.autocast.__exit__: the outermost scope clears the cast-weight cache, then the previous state comes back.
        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            if (DecrementNesting() == 0) ClearCache();
            SetEnabled(Cpu, previousEnabled);
            SetDtype(Cpu, previousDtype);
        }
    }

    private static bool Probe()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())) return false;
        try
        {
            return NativeLibrary.TryLoad(LibTorch, typeof(Autocast).Assembly, null, out IntPtr library)
                   && Array.TrueForAll(Symbols, symbol => NativeLibrary.TryGetExport(library, symbol, out _));
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    private const string IsEnabledSymbol = "_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE";
    private const string SetEnabledSymbol = "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb";
    private const string GetDtypeSymbol = "_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE";
    private const string SetDtypeSymbol = "_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE";
    private const string IncrementNestingSymbol = "_ZN2at8autocast17increment_nestingEv";
    private const string DecrementNestingSymbol = "_ZN2at8autocast17decrement_nestingEv";
    private const string ClearCacheSymbol = "_ZN2at8autocast11clear_cacheEv";

    private static readonly string[] Symbols =
        { IsEnabledSymbol, SetEnabledSymbol, GetDtypeSymbol, SetDtypeSymbol, IncrementNestingSymbol, DecrementNestingSymbol, ClearCacheSymbol };

    [DllImport(LibTorch, EntryPoint = IsEnabledSymbol)]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool IsEnabledNative(sbyte device);

    [DllImport(LibTorch, EntryPoint = SetEnabledSymbol)]
    private static extern void SetEnabled(sbyte device, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport(LibTorch, EntryPoint = GetDtypeSymbol)]
    private static extern sbyte GetDtype(sbyte device);

    [DllImport(LibTorch, EntryPoint = SetDtypeSymbol)]
    private static extern void SetDtype(sbyte device, sbyte dtype);

    [DllImport(LibTorch, EntryPoint = IncrementNestingSymbol)]
    private static extern long IncrementNesting();

    [DllImport(LibTorch, EntryPoint = DecrementNestingSymbol)]
    private static extern long DecrementNesting();

    [DllImport(LibTorch, EntryPoint = ClearCacheSymbol)]
    private static extern void ClearCache();
}
