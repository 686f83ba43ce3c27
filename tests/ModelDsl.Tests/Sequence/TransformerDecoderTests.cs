using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using ModelDsl.Weights;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Sequence;

/// <summary>
/// The decoder (causal self-attention, cross-attention over an encoder's memory, feed-forward) against PyTorch 1.13's
/// nn.TransformerDecoder (fixtures/make_decoder_fixtures.py), and its causality and padding.
/// </summary>
public class TransformerDecoderTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Sequence", "fixtures");

    private static Tensor Floats(string file, params long[] shape) => tensor(MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(Fixtures, file))).ToArray(), shape);

    /// <summary>Target row 1 ends in two padding steps, memory row 2 in one, as the script masks them; the target is causal.</summary>
    private static (Tensor Target, Tensor Memory) Masks()
    {
        Tensor target = zeros(new long[] { 3, 5 }, ScalarType.Bool), memory = zeros(new long[] { 3, 4 }, ScalarType.Bool);
        target[1, TensorIndex.Slice(3)] = tensor(true);
        memory[2, 3] = tensor(true);
        return (target, memory);
    }

    [Theory]
    [InlineData("decoder_pre_ln", true)]
    [InlineData("decoder_post_ln", false)]
    public void A_decoder_equals_pytorchs_with_a_causal_target_and_padding_on_both_sides(string name, bool normFirst)
    {
        using var scope = NewDisposeScope();
        var decoder = new TransformerDecoder(8, 2, 16, count: 2, dropout: 0, activation: normFirst ? Activation.GELU : Activation.ReLU, normFirst: normFirst);
        decoder.LoadWeights(Path.Combine(Fixtures, name + ".pt"));
        decoder.eval();
        var (targetMask, memoryMask) = Masks();
        Tensor actual = decoder.forward(Floats("decoder_target.bin", 3, 5, 8), Floats("decoder_memory.bin", 3, 4, 8), targetMask, memoryMask);
        Tensor expected = Floats(name + ".bin", 3, 5, 8);
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-5), $"max difference {(actual - expected).abs().max().item<float>()}");
    }

    [Fact]
    public void A_later_target_step_changes_no_earlier_output_and_every_memory_step_counts()
    {
        using var scope = NewDisposeScope();
        var decoder = new TransformerDecoder(8, 2, 16, count: 2, dropout: 0, generator: new Generator(1));
        decoder.eval();
        Tensor target = randn(new long[] { 2, 6, 8 }, generator: new Generator(2)), memory = randn(new long[] { 2, 4, 8 }, generator: new Generator(3));
        Tensor before = decoder.forward(target, memory);
        Tensor later = target.clone();
        later[.., 4] = randn(new long[] { 2, 8 }, generator: new Generator(4));
        Assert.True(decoder.forward(later, memory).narrow(1, 0, 4).allclose(before.narrow(1, 0, 4), rtol: 0, atol: 1e-6));
        Tensor lastMemory = memory.clone();
        lastMemory[.., 3] = randn(new long[] { 2, 8 }, generator: new Generator(5));
        Assert.False(decoder.forward(target, lastMemory).narrow(1, 0, 1).allclose(before.narrow(1, 0, 1), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void A_padding_memory_step_is_not_read_and_an_all_padding_memory_stays_finite()
    {
        using var scope = NewDisposeScope();
        var decoder = new TransformerDecoder(8, 2, 16, dropout: 0, generator: new Generator(6));
        decoder.eval();
        Tensor target = randn(new long[] { 1, 3, 8 }, generator: new Generator(7)), memory = randn(new long[] { 1, 4, 8 }, generator: new Generator(8));
        Tensor padding = tensor(new[] { false, false, true, true }).reshape(1, 4);
        Tensor y = decoder.forward(target, memory, memoryPaddingMask: padding);
        Tensor changed = memory.clone();
        changed[.., 3] = randn(new long[] { 1, 8 }, generator: new Generator(9));
        Assert.True(decoder.forward(target, changed, memoryPaddingMask: padding).allclose(y, rtol: 0, atol: 1e-6));
        Assert.True(decoder.forward(target, memory, memoryPaddingMask: ones(new long[] { 1, 4 }, ScalarType.Bool)).isfinite().all().item<bool>());
    }

    [Fact]
    public void Shapes_that_do_not_fit_are_named()
    {
        using var scope = NewDisposeScope();
        var layer = new TransformerDecoderLayer(8, 2, 16);
        Assert.Contains("memory", Assert.Throws<ShapeMismatchException>(() => layer.forward(zeros(2, 3, 8), zeros(3, 4, 8))).Message);
        Assert.Contains("target padding mask", Assert.Throws<ShapeMismatchException>(() => layer.forward(zeros(2, 3, 8), zeros(2, 4, 8), zeros(new long[] { 2, 4 }, ScalarType.Bool))).Message);
    }
}
