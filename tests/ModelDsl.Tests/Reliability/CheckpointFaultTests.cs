using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using ModelDsl.Tests.Models;
using ModelDsl.Tests.Training;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Reliability;

/// <summary>
/// The fault matrix for checkpoints: every damaged file (a flipped byte anywhere, a truncation anywhere, appended bytes,
/// another file type, a newer version) is refused with the path and the fault named, and the model and optimizer it was
/// loaded into keep their state.
/// </summary>
public sealed class CheckpointFaultTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("modeldsl-faults-").FullName;
    private readonly string path;
    private readonly byte[] valid;

    public CheckpointFaultTests()
    {
        path = Path.Combine(folder, "run.ckpt");
        using var train = SyntheticData.Clusters(32, 8, 3, taskSeed: 1, sampleSeed: 2);
        var model = new TrainingClassifier(seed: 1);
        var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 1e-2), new TrainerOptions { Epochs = 2, BatchSize = 16, CheckpointPath = path });
        trainer.Fit(train);
        valid = File.ReadAllBytes(path);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    public static TheoryData<int> FlipPositions() => new(Enumerable.Range(0, 41));

    public static TheoryData<int> TruncationPoints() => new(Enumerable.Range(0, 14));

    [Theory]
    [MemberData(nameof(FlipPositions))]
    public void A_flipped_byte_anywhere_is_refused_and_the_model_is_untouched(int position)
    {
        byte[] damaged = (byte[])valid.Clone();
        int offset = (int)((long)position * (valid.Length - 1) / 40); // 41 offsets from the first byte to the last
        damaged[offset] ^= 0x5A;
        AssertRefusedUntouched(damaged);
    }

    [Theory]
    [MemberData(nameof(TruncationPoints))]
    public void A_truncation_anywhere_is_refused_and_the_model_is_untouched(int point)
    {
        int length = (int)((long)point * (valid.Length - 1) / 13); // 0 bytes up to all but the last
        string message = AssertRefusedUntouched(valid.Take(length).ToArray());
        if (length >= 52) Assert.Contains("truncated", message);
    }

    [Fact]
    public void Appended_bytes_another_file_type_and_a_newer_version_are_named()
    {
        Assert.Contains("bytes more than its header announces", AssertRefusedUntouched(valid.Concat(new byte[] { 1, 2, 3 }).ToArray()));

        // A PNG: the message is short and says what the file starts with, not 9,761 characters of binary.
        byte[] png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.Concat(Enumerable.Range(0, 9000).Select(i => (byte)(i * 31))).ToArray();
        string message = AssertRefusedUntouched(png);
        Assert.Contains("is not a ModelDsl checkpoint: it starts with bytes 89504E470D0A1A0A", message);
        Assert.True(message.Length < 300, $"{message.Length} characters");

        byte[] newer = (byte[])valid.Clone();
        BitConverter.GetBytes(4).CopyTo(newer, 8);
        Assert.Contains("format version 4", AssertRefusedUntouched(newer));
    }

    [Fact]
    public void A_checkpoint_of_another_dtype_is_named_before_anything_is_loaded()
    {
        var model = new TrainingClassifier(seed: 5, dtype: ScalarType.Float64);
        var before = State(model);
        var error = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.Load(path, model, optim.Adam(model.parameters())));
        Assert.Contains("dense1.weight: checkpoint Float32, model Float64", error.Message);
        AssertState(before, model);
    }

    [Fact]
    public void An_optimizer_of_another_kind_fails_the_load_and_both_keep_their_state()
    {
        var model = new TrainingClassifier(seed: 5);
        var optimizer = optim.SGD(model.parameters(), learningRate: 0.1, momentum: 0.9);
        using (var scope = NewDisposeScope())
        {
            optimizer.zero_grad();
            model.forward(randn(4, 8)).sum().backward();
            optimizer.step(); // momentum buffers exist now
        }
        var before = State(model);
        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, model, optimizer));
        Assert.Contains(path, error.Message);
        AssertState(before, model);
    }

    [Fact]
    public void Two_writers_on_one_path_always_leave_one_whole_checkpoint()
    {
        var models = new[] { new TrainingClassifier(seed: 1), new TrainingClassifier(seed: 2) };
        var optimizers = models.Select(m => optim.Adam(m.parameters())).ToArray();
        Parallel.For(0, 2, writer =>
        {
            for (int i = 0; i < 25; i++) Checkpoint.Save(path, models[writer], optimizers[writer], epoch: writer * 100 + i, step: i, new History());
        });
        var target = new TrainingClassifier(seed: 3);
        int epoch = Checkpoint.Load(path, target, optim.Adam(target.parameters())).Epoch;
        Assert.True(epoch is 24 or 124, $"epoch {epoch}: the last save of one writer");
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public void A_format_1_checkpoint_from_an_earlier_version_still_loads()
    {
        var source = new TrainingClassifier(seed: 7);
        var adam = (TorchSharp.Modules.OptimizerHelper)optim.Adam(source.parameters());
        string old = Path.Combine(folder, "v1.ckpt");
        using (var writer = new BinaryWriter(File.Create(old)))
        {
            writer.Write("ModelDsl.Checkpoint/1");
            writer.Write(6);
            writer.Write(60L);
            writer.Write(new History().ToCsv());
            WriteEntries(writer, source, dtypes: false);
            source.save(writer);
            adam.save_state_dict(writer);
        }
        var target = new TrainingClassifier(seed: 8);
        Assert.Equal(6, Checkpoint.Load(old, target, optim.Adam(target.parameters())).Epoch);
        AssertState(State(source), target);
    }

    /// <summary>Format 2 (the sections after the tensors, with a checksum) as the previous version wrote it: it loads, with its loop and callback sections.</summary>
    [Fact]
    public void A_format_2_checkpoint_from_the_previous_version_still_loads_with_its_sections()
    {
        var source = new TrainingClassifier(seed: 7);
        var adam = (TorchSharp.Modules.OptimizerHelper)optim.Adam(source.parameters());
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(5);
            writer.Write(50L);
            writer.Write(new History().ToCsv());
            WriteEntries(writer, source, dtypes: true);
            source.save(writer);
            adam.save_state_dict(writer);
            foreach (string section in new[] { "loop", "0:callback" })
            {
                writer.Write(1);
                writer.Write(section);
                writer.Write(3);
                writer.Write(new byte[] { 1, 2, 3 });
            }
        }
        byte[] body = payload.ToArray();
        string old = Path.Combine(folder, "v2.ckpt");
        using (var writer = new BinaryWriter(File.Create(old)))
        {
            writer.Write(System.Text.Encoding.ASCII.GetBytes("MDSLCKPT"));
            writer.Write(2);
            writer.Write((long)body.Length);
            writer.Write(System.Security.Cryptography.SHA256.HashData(body));
            writer.Write(body);
        }
        var target = new TrainingClassifier(seed: 8);
        CheckpointState loaded = Checkpoint.Load(old, target, optim.Adam(target.parameters()));
        Assert.Equal(5, loaded.Epoch);
        Assert.Equal(new byte[] { 1, 2, 3 }, loaded.LoopState["loop"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, loaded.CallbackStates["0:callback"]);
        AssertState(State(source), target);
    }

    /// <summary>The tensor list of an earlier format: each key and shape, and from format 2 on its dtype.</summary>
    private static void WriteEntries(BinaryWriter writer, nn.Module model, bool dtypes)
    {
        var state = model.state_dict();
        writer.Write(state.Count);
        foreach (var (name, tensor) in state)
        {
            writer.Write(name);
            writer.Write("[" + string.Join(", ", tensor.shape) + "]");
            if (dtypes) writer.Write(tensor.dtype.ToString());
        }
    }

    private string AssertRefusedUntouched(byte[] damaged)
    {
        File.WriteAllBytes(path, damaged);
        var model = new TrainingClassifier(seed: 5);
        var optimizer = optim.Adam(model.parameters());
        var before = State(model);
        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, model, optimizer));
        Assert.Contains(path, error.Message);
        AssertState(before, model);
        return error.Message;
    }

    private static Dictionary<string, Tensor> State(nn.Module model) => model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    private static void AssertState(Dictionary<string, Tensor> expected, nn.Module model)
    {
        foreach (var (name, tensor) in model.state_dict()) Assert.True(tensor.eq(expected[name]).all().item<bool>(), $"{name} changed");
    }
}
