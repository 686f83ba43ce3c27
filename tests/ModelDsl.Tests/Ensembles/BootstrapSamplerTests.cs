using System;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Ensembles;

public class BootstrapSamplerTests
{
    [Fact]
    public void Samples_have_size_n_are_drawn_with_replacement_and_leave_about_e_inverse_out_of_bag()
    {
        using var scope = NewDisposeScope();
        const long n = 2000;
        var sampler = new BootstrapSampler(n, seed: 42);
        for (int member = 0; member < 5; member++)
        {
            long[] sample = sampler.Sample(member).data<long>().ToArray();
            Assert.Equal(n, sample.Length);
            Assert.All(sample, i => Assert.InRange(i, 0, n - 1));
            Assert.True(sample.Distinct().Count() < n, "with replacement, some index must repeat");

            long[] outOfBag = sampler.OutOfBag(member).data<long>().ToArray();
            Assert.Empty(outOfBag.Intersect(sample));
            Assert.Equal(n, sample.Distinct().Count() + outOfBag.Length);

            // Each index is out of bag with p = (1 − 1/n)^n ≈ 0.3679. The indicators are nearly independent (slightly negatively
            // correlated, which only narrows the spread), so the count's sd is at most √(n·p·(1 − p)) ≈ 21.6 for n = 2000.
            // Five sigma per member keeps the false-failure rate below 1e-6 over all five members.
            double p = sampler.ExpectedOutOfBagFraction;
            Assert.Equal(Math.Exp(-1), p, 3);
            double sd = Math.Sqrt(n * p * (1 - p));
            Assert.InRange(outOfBag.Length, n * p - 5 * sd, n * p + 5 * sd);
        }
    }

    [Fact]
    public void Samples_are_reproducible_from_the_seed_and_differ_between_members_and_seeds()
    {
        using var scope = NewDisposeScope();
        long[] a = new BootstrapSampler(500, seed: 3).Sample(1).data<long>().ToArray();
        long[] again = new BootstrapSampler(500, seed: 3).Sample(1).data<long>().ToArray();
        long[] otherMember = new BootstrapSampler(500, seed: 3).Sample(2).data<long>().ToArray();
        long[] otherSeed = new BootstrapSampler(500, seed: 4).Sample(1).data<long>().ToArray();
        Assert.Equal(a, again);
        Assert.NotEqual(a, otherMember);
        Assert.NotEqual(a, otherSeed);
    }

    [Fact]
    public void Member_seeds_are_distinct_reproducible_and_null_without_an_ensemble_seed()
    {
        var seeds = Enumerable.Range(0, 64).Select(i => EnsembleSeeds.ForMember(123, i)).ToArray();
        Assert.Equal(64, seeds.Distinct().Count());
        Assert.Equal(seeds[5], EnsembleSeeds.ForMember(123, 5));
        Assert.NotEqual(EnsembleSeeds.ForMember(0, 1), EnsembleSeeds.ForMember(1, 0));
        Assert.Null(EnsembleSeeds.ForMember(null, 3));
    }
}
