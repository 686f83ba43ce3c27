using System;
using System.Linq;
using ModelDsl.Augmentation;
using ModelDsl.Data;
using ModelDsl.Tests.Models;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Augmentation;

public class AugmentationTests
{
    /// <summary>[B, 1, 8, 8] zeros with one bright pixel at (row 2, col 1) in every sample.</summary>
    private static Tensor Dot(int batch = 64)
    {
        Tensor x = zeros(batch, 1, 8, 8);
        x[TensorIndex.Colon, 0, 2, 1] = tensor(1f);
        return x;
    }

    [Fact]
    public void Horizontal_flip_moves_the_pixel_to_the_mirrored_column_in_flipped_samples_only()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        Tensor y = new RandomFlip(horizontal: true).Apply(Dot(), generator);

        Tensor moved = y[TensorIndex.Colon, 0, 2, 6].eq(1);
        Tensor stayed = y[TensorIndex.Colon, 0, 2, 1].eq(1);
        Assert.True(moved.logical_xor(stayed).all().item<bool>()); // each sample is either flipped or untouched
        long flipped = moved.sum().item<long>();
        Assert.InRange(flipped, 16, 48); // Binomial(64, 0.5): mean 32, sd 4 → ±4 sd
    }

    [Fact]
    public void Vertical_flip_moves_the_pixel_to_the_mirrored_row()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        Tensor y = new RandomFlip(horizontal: false, probability: 1).Apply(Dot(), generator);
        Assert.True(y[TensorIndex.Colon, 0, 5, 1].eq(1).all().item<bool>());
    }

    [Fact]
    public void Crop_with_padding_keeps_the_size_and_shifts_by_whole_pixels_within_the_padding()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(2);
        Tensor x = zeros(64, 1, 8, 8);
        x[TensorIndex.Colon, 0, 4, 4] = tensor(1f);
        Tensor y = new RandomShift(padding: 2).Apply(x, generator);

        Assert.Equal(x.shape, y.shape);
        Assert.True(y.sum(new long[] { 1, 2, 3 }).eq(1).all().item<bool>()); // exactly one pixel, exact value: nearest sampling
        long[] position = y.view(64, -1).argmax(1).data<long>().ToArray();
        long[] rows = position.Select(p => p / 8).ToArray(), cols = position.Select(p => p % 8).ToArray();
        Assert.All(rows.Concat(cols), p => Assert.InRange(p, 2, 6));
        Assert.True(rows.Zip(cols).Distinct().Count() > 10); // 25 possible offsets, drawn per sample
    }

    [Fact]
    public void Gaussian_noise_has_the_declared_std()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        Tensor x = zeros(16, 1, 32, 32);
        double std = (new AddGaussianNoise(0.2).Apply(x, generator) - x).std().item<float>();
        // 16,384 samples: the sample std's relative standard error is 1/√(2n) ≈ 0.55 %; 3 % is > 5 standard errors.
        Assert.InRange(std, 0.2 * 0.97, 0.2 * 1.03);
    }

    [Fact]
    public void Cutout_zeroes_one_square_of_the_declared_size_per_sample()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(4);
        Tensor y = new Cutout(size: 5).Apply(ones(32, 3, 12, 12), generator);

        Assert.True(y.eq(0).sum(new long[] { 1, 2, 3 }).eq(3 * 25).all().item<bool>());
        for (int i = 0; i < 32; i++)
        {
            Tensor zeroRows = y[i, 0].eq(0).any(1).nonzero().flatten(), zeroCols = y[i, 0].eq(0).any(0).nonzero().flatten();
            Assert.Equal(5, zeroRows.numel()); // a contiguous 5×5 square: 5 rows × 5 columns holding all 25 zeros
            Assert.Equal(4, (zeroRows.max() - zeroRows.min()).item<long>());
            Assert.Equal(4, (zeroCols.max() - zeroCols.min()).item<long>());
        }
    }

    [Fact]
    public void Rotation_and_scaling_keep_the_size_and_vary_per_sample()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        Tensor x = zeros(8, 1, 16, 16);
        x[TensorIndex.Colon, 0, 7, TensorIndex.Slice(2, 14)] = tensor(1f); // a horizontal bar
        Tensor y = new RandomAffine(maxDegrees: 15, scale: 0.1, stretch: 0.1).Apply(x, generator);
        Assert.Equal(x.shape, y.shape);
        Assert.False(y[0].allclose(y[1]));
        Assert.True(new RandomAffine(maxDegrees: 0, scale: 0).Apply(x, generator).allclose(x, atol: 1e-5)); // identity grid
    }

    [Fact]
    public void Brightness_and_contrast_change_each_samples_mean_and_spread_within_bounds()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(6);
        Tensor x = rand(new long[] { 64, 1, 8, 8 }, generator: generator);
        Tensor y = new BrightnessContrast(brightness: 0.1, contrast: 0.2).Apply(x, generator);
        Tensor shift = y.mean(new long[] { 1, 2, 3 }) - x.mean(new long[] { 1, 2, 3 });
        Tensor ratio = y.std(new long[] { 1, 2, 3 }) / x.std(new long[] { 1, 2, 3 });
        Assert.True(shift.abs().le(0.1 + 1e-5).all().item<bool>());
        Assert.True(ratio.ge(0.8 - 1e-4).logical_and(ratio.le(1.2 + 1e-4)).all().item<bool>());
        Assert.True(shift.std().item<float>() > 0.01); // per sample, not one factor for the batch
    }

    [Fact]
    public void Same_seed_gives_the_same_batch()
    {
        using var scope = NewDisposeScope();
        Tensor x = rand(16, 1, 28, 28);
        Tensor Run(ulong seed)
        {
            using var generator = new Generator(seed);
            return new RandAugment(n: 3, m: 7).Apply(AugmentationPresets.Digits().Apply(x, generator), generator);
        }
        Assert.True(Run(9).eq(Run(9)).all().item<bool>());
        Assert.False(Run(9).eq(Run(10)).all().item<bool>());
    }

    [Fact]
    public void Augmentation_is_applied_in_training_only_never_in_evaluation()
    {
        using var train = new LabeledData(rand(32, 784), randint(0, 10, new long[] { 32 }));
        var counter = new CountingAugmentation();
        var model = new DigitsMlp(seed: 1);
        var trainer = new Trainer(model, optim.SGD(model.parameters(), 0.01), new TrainerOptions { Epochs = 2, BatchSize = 8, Augmentation = counter });

        trainer.Fit(train, train);
        Assert.Equal(8, counter.Calls); // 2 epochs × 4 batches; the two validation passes never call it
        trainer.Evaluate(train);
        Assert.Equal(8, counter.Calls);
    }

    [Fact]
    public void RandAugment_search_picks_the_pair_with_the_best_validation_accuracy()
    {
        var trials = RandAugmentSearch.Run(new[] { 1, 2 }, new[] { 3, 9 }, policy => policy.N * 10 + policy.M == 13 ? 0.9 : 0.5);
        Assert.Equal(4, trials.Count);
        Assert.Equal((1, 3), (trials[0].N, trials[0].M));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandAugment(n: 1, m: 11));
    }

    [Fact]
    public void RandAugment_search_on_real_training_runs_returns_measured_accuracies()
    {
        using var train = SyntheticImages(256, sampleSeed: 1);
        using var validation = SyntheticImages(128, sampleSeed: 2);
        var trials = RandAugmentSearch.Run(new[] { 0, 2 }, new[] { 5 }, policy =>
        {
            var model = new DigitsMlp(seed: 1);
            var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 1e-3),
                new TrainerOptions { Epochs = 3, BatchSize = 32, Seed = 1, Augmentation = new OnImages(policy, 1, 28, 28) });
            trainer.Fit(train, validation);
            return trainer.History.Records[^1]["val_accuracy"];
        });
        Assert.Equal(2, trials.Count);
        Assert.All(trials, t => Assert.InRange(t.ValidationAccuracy, 0.5, 1.0)); // 10 well-separated blobs: chance is 0.1
    }

    /// <summary>Ten classes, each a bright 6×6 blob at its own place in a 28×28 image, plus noise; flattened to 784.</summary>
    private static LabeledData SyntheticImages(int n, long sampleSeed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)sampleSeed);
        Tensor labels = randint(0, 10, new long[] { n }, generator: generator);
        Tensor images = randn(new long[] { n, 28, 28 }, generator: generator) * 0.1;
        long[] y = labels.data<long>().ToArray();
        for (int i = 0; i < n; i++)
        {
            long row = 3 + (y[i] / 5) * 14, col = 1 + (y[i] % 5) * 5;
            images[i, TensorIndex.Slice(row, row + 6), TensorIndex.Slice(col, col + 6)] += 1;
        }
        return new LabeledData(images.view(n, 784), labels);
    }

    private sealed class CountingAugmentation : IAugmentation
    {
        public int Calls { get; private set; }
        public Tensor Apply(Tensor batch, Generator generator)
        {
            Calls++;
            return batch.clone();
        }
    }
}
