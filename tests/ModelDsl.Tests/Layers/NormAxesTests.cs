using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Layers
{
    /// <summary>
    /// Issue #23 §3.2: the axes every norm normalizes over, for every input rank it accepts (the table in
    /// docs/dsl-reference.md), checked on the generated models against the definition written out here:
    /// y = (x − mean)/√(biased var + ε)·γ + β, mean and variance over the axes of the table, γ and β broadcast per unit.
    /// γ and β are set to random values first, so their shape and the axis they broadcast over are checked too.
    /// </summary>
    public class NormAxesTests
    {
        private const double Eps = 1e-5;

        /// <summary>A norm, a rank, the model, the input shape, and the definition: normalized x (before γ and β), the shape γ broadcasts as.</summary>
        public sealed record Case(string Name, Func<nn.Module<Tensor, Tensor>> Create, long[] Input, Func<Tensor, Tensor> Normalize, long[] Gamma);

        private static Tensor Standardize(Tensor x, long[] dims)
            => (x - x.mean(dims, keepdim: true)) / (x.var(dims, unbiased: false, keepdim: true) + Eps).sqrt();

        /// <summary>Per sample and group of channels (and every position): reshape to [B, G, −1], standardize the last axis.</summary>
        private static Tensor Grouped(Tensor x, long groups) => Standardize(x.reshape(x.shape[0], groups, -1), new long[] { 2 }).reshape(x.shape);

        private static readonly Case[] Cases =
        {
            new("BatchNorm on features [B, F]", () => new NormAxes.BatchNormFeatures(seed: 1), new long[] { 5 }, x => Standardize(x, new long[] { 0 }), new long[] { 1, 5 }),
            new("BatchNorm on a sequence [B, T, F]", () => new NormAxes.BatchNormSequence(seed: 1), new long[] { 6, 4 }, x => Standardize(x, new long[] { 0, 1 }), new long[] { 1, 1, 4 }),
            new("BatchNorm on images [B, C, H, W]", () => new NormAxes.BatchNormImages(seed: 1), new long[] { 3, 4, 5 }, x => Standardize(x, new long[] { 0, 2, 3 }), new long[] { 1, 3, 1, 1 }),
            new("LayerNorm on features [B, F]", () => new NormAxes.LayerNormFeatures(seed: 1), new long[] { 5 }, x => Standardize(x, new long[] { 1 }), new long[] { 1, 5 }),
            new("LayerNorm on a sequence [B, T, F]", () => new NormAxes.LayerNormSequence(seed: 1), new long[] { 6, 4 }, x => Standardize(x, new long[] { 2 }), new long[] { 1, 1, 4 }),
            new("LayerNorm on images [B, C, H, W]", () => new NormAxes.LayerNormImages(seed: 1), new long[] { 3, 4, 5 }, x => Standardize(x, new long[] { 1, 2, 3 }), new long[] { 1, 3, 4, 5 }),
            new("InstanceNorm on images [B, C, H, W]", () => new NormAxes.InstanceNormImages(seed: 1), new long[] { 3, 4, 5 }, x => Standardize(x, new long[] { 2, 3 }), new long[] { 1, 3, 1, 1 }),
            new("GroupNorm on features [B, C]", () => new NormAxes.GroupNormFeatures(seed: 1), new long[] { 6 }, x => Grouped(x, 3), new long[] { 1, 6 }),
            new("GroupNorm on images [B, C, H, W]", () => new NormAxes.GroupNormImages(seed: 1), new long[] { 6, 4, 5 }, x => Grouped(x, 3), new long[] { 1, 6, 1, 1 }),
        };

        public static TheoryData<string> Names() => new(Cases.Select(c => c.Name));

        [Theory]
        [MemberData(nameof(Names))]
        public void Each_norm_normalizes_each_rank_over_the_axes_of_the_table(string name)
        {
            using var scope = NewDisposeScope();
            Case c = Cases.Single(k => k.Name == name);
            nn.Module<Tensor, Tensor> model = c.Create();
            (Tensor gamma, Tensor beta) = Affine(model);
            var generator = new Generator(11);
            using (no_grad())
            {
                gamma.copy_(rand(gamma.shape, generator: generator) + 0.5);
                beta.copy_(randn(beta.shape, generator: generator));
            }
            // Training: the batch's own statistics for BatchNorm; every other norm is per sample in both modes.
            model.train();
            Tensor x = randn(new long[] { 7 }.Concat(c.Input).ToArray(), generator: generator) * 3 + 2;
            Tensor expected = c.Normalize(x) * gamma.detach().reshape(c.Gamma) + beta.detach().reshape(c.Gamma);
            Tensor actual = model.forward(x);
            // float32 sums of at most 60 values: rounding far below 1e-5 of values of order 1–10.
            Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-5), $"{name}: max difference {(actual - expected).abs().max().item<float>():G3}");
        }

        /// <summary>γ and β: the only two parameters each of these one-norm models has (the runtime names them weight/Weight, bias/Bias).</summary>
        private static (Tensor, Tensor) Affine(nn.Module<Tensor, Tensor> model)
        {
            var p = model.named_parameters().ToList();
            Assert.Equal(2, p.Count);
            return (p.Single(e => e.name.EndsWith("weight", StringComparison.OrdinalIgnoreCase)).parameter,
                p.Single(e => e.name.EndsWith("bias", StringComparison.OrdinalIgnoreCase)).parameter);
        }

        [Fact]
        public void LayerNorm_on_a_sequence_has_one_gamma_per_feature_whatever_the_length()
        {
            using var scope = NewDisposeScope();
            var model = new NormAxes.LayerNormSequence(seed: 1);
            Assert.Equal(new long[] { 4 }, Affine(model).Item1.shape);
            // Each step alone: the output of steps 0–2 does not depend on what steps 3–5 hold.
            Tensor x = randn(2, 6, 4, generator: new Generator(3));
            Tensor changed = x.clone();
            changed[TensorIndex.Colon, TensorIndex.Slice(3)] = randn(2, 3, 4, generator: new Generator(4)) * 100;
            Assert.True(model.forward(x).narrow(1, 0, 3).equal(model.forward(changed).narrow(1, 0, 3)).all().item<bool>());
        }
    }
}

namespace ModelDsl.Tests.Layers.NormAxes
{
    [Model(5)] [BatchNorm] public partial class BatchNormFeatures { }
#pragma warning disable MD0066 // batch norm on a sequence is advised against, and still has its defined axes
    [Model(6, 4)] [BatchNorm] public partial class BatchNormSequence { }
#pragma warning restore MD0066
    [Model(3, 4, 5)] [BatchNorm] public partial class BatchNormImages { }
    [Model(5)] [LayerNorm] public partial class LayerNormFeatures { }
    [Model(6, 4)] [LayerNorm] public partial class LayerNormSequence { }
    [Model(3, 4, 5)] [LayerNorm] public partial class LayerNormImages { }
    [Model(3, 4, 5)] [InstanceNorm(Affine = true)] public partial class InstanceNormImages { }
    [Model(6)] [GroupNorm(3)] public partial class GroupNormFeatures { }
    [Model(6, 4, 5)] [GroupNorm(3)] public partial class GroupNormImages { }
}
