using System;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Sequence;

public class PositionalEncodingTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(7)] // odd D: the last column is a sine
    public void Sinusoids_follow_vaswani_et_al(int dimension)
    {
        using var scope = NewDisposeScope();
        Tensor table = PositionalEncoding.Sinusoids(50, dimension);
        for (int t = 0; t < 50; t += 7)
        {
            for (int j = 0; j < dimension; j++)
            {
                double angle = t / Math.Pow(10000, (j - j % 2) / (double)dimension);
                double expected = j % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle);
                Assert.Equal(expected, table[t, j].item<double>(), 1e-12);
            }
        }
    }

    [Fact]
    public void Forward_adds_the_first_t_rows_to_every_sample()
    {
        using var scope = NewDisposeScope();
        var encoding = new PositionalEncoding(maxLength: 10, dimension: 4);
        Tensor x = randn(3, 6, 4);
        Tensor expected = x + PositionalEncoding.Sinusoids(10, 4).narrow(0, 0, 6).to(ScalarType.Float32);
        Assert.True(encoding.forward(x).allclose(expected, rtol: 0, atol: 1e-6));
        Assert.Throws<ShapeMismatchException>(() => encoding.forward(randn(1, 11, 4)));
    }

    [Fact]
    public void Learned_table_is_a_seeded_parameter_with_std_0_02()
    {
        using var scope = NewDisposeScope();
        var a = new PositionalEncoding(200, 64, learned: true, generator: new Generator(7));
        var b = new PositionalEncoding(200, 64, learned: true, generator: new Generator(7));
        Assert.Single(a.parameters());
        Assert.True(a.Table.equal(b.Table).all().item<bool>());
        Assert.InRange(a.Table.std().item<float>(), 0.019, 0.021);
        Assert.Empty(new PositionalEncoding(10, 4).parameters());
    }
}
