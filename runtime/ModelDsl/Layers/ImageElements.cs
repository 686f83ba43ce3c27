using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// How a kernel over image buffers reads and writes their elements while it computes in float32: float32 elements as
/// they are (<see cref="Float32Elements"/>), bfloat16 elements (what a convolution hands over under autocast) widened
/// exactly on load and rounded to the nearest even on store (<see cref="BFloat16Elements"/>). A kernel generic over a
/// struct implementing this is one loop for both: the JIT compiles it once per struct, with the loads inlined.
/// </summary>
/// <remarks>
/// Offsets are in elements from <c>origin</c>, the first byte of the buffer; the caller has checked the buffer's length
/// (these loads and stores are unchecked).
/// </remarks>
internal interface IImageElements
{
    /// <summary>The libtorch element type.</summary>
    static abstract ScalarType Type { get; }

    /// <summary>Bytes per element.</summary>
    static abstract int Size { get; }

    static abstract float Load(ref byte origin, nuint element);

    static abstract Vector256<float> Load256(ref byte origin, nuint element);

    static abstract Vector512<float> Load512(ref byte origin, nuint element);

    static abstract void Store(float value, ref byte origin, nuint element);

    static abstract void Store256(Vector256<float> value, ref byte origin, nuint element);

    static abstract void Store512(Vector512<float> value, ref byte origin, nuint element);
}

/// <summary>float32 elements, loaded and stored as they are.</summary>
internal readonly struct Float32Elements : IImageElements
{
    public static ScalarType Type => ScalarType.Float32;

    public static int Size => sizeof(float);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref byte origin, nuint element) => Unsafe.Add(ref Unsafe.As<byte, float>(ref origin), element);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load256(ref byte origin, nuint element) => Vector256.LoadUnsafe(ref Unsafe.As<byte, float>(ref origin), element);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load512(ref byte origin, nuint element) => Vector512.LoadUnsafe(ref Unsafe.As<byte, float>(ref origin), element);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref byte origin, nuint element) => Unsafe.Add(ref Unsafe.As<byte, float>(ref origin), element) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store256(Vector256<float> value, ref byte origin, nuint element) => value.StoreUnsafe(ref Unsafe.As<byte, float>(ref origin), element);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store512(Vector512<float> value, ref byte origin, nuint element) => value.StoreUnsafe(ref Unsafe.As<byte, float>(ref origin), element);
}

/// <summary>
/// bfloat16 elements: the upper 16 bits of a float32 (Google Brain's format; PyTorch's <c>torch.bfloat16</c>). A load
/// shifts them into place, which is exact; a store rounds to the nearest even, NaN to a quiet NaN, as libtorch's
/// <c>c10::BFloat16</c> converts (<c>round_to_nearest_even</c>). Written by hand: .NET 10 has no vector conversion
/// between float32 and bfloat16.
/// </summary>
internal readonly struct BFloat16Elements : IImageElements
{
    private const uint QuietNaN = 0x7FC0;

    public static ScalarType Type => ScalarType.BFloat16;

    public static int Size => sizeof(ushort);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref byte origin, nuint element)
        => BitConverter.UInt32BitsToSingle((uint)Unsafe.Add(ref Unsafe.As<byte, ushort>(ref origin), element) << 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load256(ref byte origin, nuint element)
    {
        Vector128<ushort> bits = Vector128.LoadUnsafe(ref Unsafe.As<byte, ushort>(ref origin), element);
        return Vector256.ShiftLeft(Vector256.WidenLower(bits.ToVector256Unsafe()), 16).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load512(ref byte origin, nuint element)
    {
        Vector256<ushort> bits = Vector256.LoadUnsafe(ref Unsafe.As<byte, ushort>(ref origin), element);
        return Vector512.ShiftLeft(Vector512.WidenLower(bits.ToVector512Unsafe()), 16).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref byte origin, nuint element)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        uint rounded = float.IsNaN(value) ? QuietNaN : (bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16;
        Unsafe.Add(ref Unsafe.As<byte, ushort>(ref origin), element) = (ushort)rounded;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store256(Vector256<float> value, ref byte origin, nuint element)
    {
        Vector256<uint> bits = value.AsUInt32();
        Vector256<uint> rounded = Vector256.ShiftRightLogical(bits + Vector256.Create(0x7FFFu) + (Vector256.ShiftRightLogical(bits, 16) & Vector256<uint>.One), 16);
        rounded = Vector256.ConditionalSelect(Vector256.Equals(value, value).AsUInt32(), rounded, Vector256.Create(QuietNaN));
        Vector256.Narrow(rounded, rounded).GetLower().StoreUnsafe(ref Unsafe.As<byte, ushort>(ref origin), element);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store512(Vector512<float> value, ref byte origin, nuint element)
    {
        Vector512<uint> bits = value.AsUInt32();
        Vector512<uint> rounded = Vector512.ShiftRightLogical(bits + Vector512.Create(0x7FFFu) + (Vector512.ShiftRightLogical(bits, 16) & Vector512<uint>.One), 16);
        rounded = Vector512.ConditionalSelect(Vector512.Equals(value, value).AsUInt32(), rounded, Vector512.Create(QuietNaN));
        Vector512.Narrow(rounded, rounded).GetLower().StoreUnsafe(ref Unsafe.As<byte, ushort>(ref origin), element);
    }
}
