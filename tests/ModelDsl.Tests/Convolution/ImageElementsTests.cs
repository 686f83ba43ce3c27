using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Convolution;

/// <summary>
/// <see cref="BFloat16Elements"/> converts as libtorch does, at every width a kernel uses (one element, 8 and 16 per
/// vector): loads widen exactly, stores round to the nearest even. libtorch's own conversion (<c>Tensor.to</c>) is the
/// oracle, over a seeded sweep of random bit patterns (every sign, exponent and mantissa, NaNs and infinities among them)
/// and the cases rounding gets wrong first: exact halfway values with an even and an odd last kept bit, the largest
/// finite values that round up to infinity, subnormals, and signed zeros.
/// </summary>
public sealed class ImageElementsTests
{
    private const int Count = 1 << 16;

    private delegate void Store(ReadOnlySpan<float> values, Span<ushort> target);

    private delegate void Load(ReadOnlySpan<ushort> bits, Span<float> target);

    public static TheoryData<string> Widths() => new() { "1", "8", "16" };

    private static uint[] FloatPatterns()
    {
        var random = new Random(2026_12_06);
        var bits = new uint[Count];
        for (int i = 0; i < bits.Length; i++) bits[i] = (uint)random.NextInt64(0, 1L << 32);
        uint[] cases =
        {
            0x3F808000, 0x3F818000,             // 1 + 2⁻⁸ (halfway, even kept bit: down) and 1 + 3·2⁻⁸ (halfway, odd: up)
            0x3F808001, 0x3F807FFF,             // just above and just below halfway
            0x7F7FFFFF, 0x7F7F8000, 0x7F7F7FFF, // the largest float (rounds to ∞), halfway to ∞ (odd: up to ∞), just below
            0x00000001, 0x00008000, 0x00018000, 0x007FFFFF, 0x80000001,   // subnormals, halfway ones among them
            0x00000000, 0x80000000, 0x7F800000, 0xFF800000,               // ±0, ±∞
            0x7FC00000, 0xFFC00001, 0x7F800001, 0x7FFFFFFF,               // quiet and signalling NaNs, with payloads
        };
        cases.CopyTo(bits, 0);
        return bits;
    }

    private static Store Stores(string width) => width switch
    {
        "1" => (values, target) =>
        {
            ref byte origin = ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(target));
            for (int i = 0; i < values.Length; i++) BFloat16Elements.Store(values[i], ref origin, (nuint)i);
        },
        "8" => (values, target) =>
        {
            ref byte origin = ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(target));
            for (int i = 0; i < values.Length; i += 8) BFloat16Elements.Store256(Vector256.Create(values.Slice(i)), ref origin, (nuint)i);
        },
        _ => (values, target) =>
        {
            ref byte origin = ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(target));
            for (int i = 0; i < values.Length; i += 16) BFloat16Elements.Store512(Vector512.Create(values.Slice(i)), ref origin, (nuint)i);
        },
    };

    private static Load Loads(string width) => width switch
    {
        "1" => (bits, target) =>
        {
            ref byte origin = ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(bits));
            for (int i = 0; i < bits.Length; i++) target[i] = BFloat16Elements.Load(ref origin, (nuint)i);
        },
        "8" => (bits, target) =>
        {
            ref byte origin = ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(bits));
            for (int i = 0; i < bits.Length; i += 8) BFloat16Elements.Load256(ref origin, (nuint)i).CopyTo(target.Slice(i));
        },
        _ => (bits, target) =>
        {
            ref byte origin = ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(bits));
            for (int i = 0; i < bits.Length; i += 16) BFloat16Elements.Load512(ref origin, (nuint)i).CopyTo(target.Slice(i));
        },
    };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Stores_round_to_the_nearest_even_as_libtorch_converts(string width)
    {
        float[] values = Array.ConvertAll(FloatPatterns(), BitConverter.UInt32BitsToSingle);
        using Tensor floats = tensor(values);
        using Tensor converted = floats.to(ScalarType.BFloat16);
        ushort[] expected = MemoryMarshal.Cast<byte, ushort>(converted.bytes).ToArray();
        var actual = new ushort[values.Length];
        Stores(width)(values, actual);
        int halfwayRoundedUp = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsNaN(values[i]))
            {
                // libtorch's vector and scalar conversions write different NaNs; a NaN stays a NaN, which is what matters.
                Assert.True(float.IsNaN(BitConverter.UInt32BitsToSingle((uint)actual[i] << 16)), $"NaN 0x{BitConverter.SingleToUInt32Bits(values[i]):X8} → 0x{actual[i]:X4}");
                continue;
            }
            Assert.True(expected[i] == actual[i], $"0x{BitConverter.SingleToUInt32Bits(values[i]):X8}: libtorch 0x{expected[i]:X4}, here 0x{actual[i]:X4}");
            if ((BitConverter.SingleToUInt32Bits(values[i]) & 0xFFFF) == 0x8000 && actual[i] != BitConverter.SingleToUInt32Bits(values[i]) >> 16) halfwayRoundedUp++;
        }
        Assert.True(halfwayRoundedUp > 0, "some halfway value rounded up (to its odd neighbour's even one), so ties were tested both ways");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Loads_widen_exactly_as_libtorch_converts(string width)
    {
        ushort[] bits = Array.ConvertAll(FloatPatterns(), b => (ushort)(b >> 16));
        using Tensor stored = empty(bits.Length, ScalarType.BFloat16);
        stored.bytes = MemoryMarshal.AsBytes(bits.AsSpan());
        using Tensor widened = stored.to(ScalarType.Float32);
        uint[] expected = MemoryMarshal.Cast<byte, uint>(widened.bytes).ToArray();
        var actual = new float[bits.Length];
        Loads(width)(bits, actual);
        for (int i = 0; i < bits.Length; i++)
            Assert.True(expected[i] == BitConverter.SingleToUInt32Bits(actual[i]), $"0x{bits[i]:X4}: libtorch 0x{expected[i]:X8}, here 0x{BitConverter.SingleToUInt32Bits(actual[i]):X8}");
    }
}
