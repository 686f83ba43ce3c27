using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// One file with model state, optimizer state, epoch, step and history. Written to a temporary file, flushed to disk
/// and renamed over the target, so a crash mid-write leaves the previous checkpoint intact. The header lists every
/// state key with its shape, so loading into another architecture names what differs instead of failing deep inside.
/// </summary>
public static class Checkpoint
{
    private const string Magic = "ModelDsl.Checkpoint/1";

    /// <summary>Writes the checkpoint atomically.</summary>
    public static void Save(string path, nn.Module model, optim.Optimizer optimizer, int epoch, long step, History history)
    {
        var helper = RequireHelper(optimizer);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = full + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(epoch);
            writer.Write(step);
            writer.Write(history.ToCsv());
            var shapes = Shapes(model);
            writer.Write(shapes.Count);
            foreach (var (name, shape) in shapes)
            {
                writer.Write(name);
                writer.Write(shape);
            }
            model.save(writer);
            helper.save_state_dict(writer);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>Loads a checkpoint into <paramref name="model"/> and <paramref name="optimizer"/>; throws <see cref="CheckpointMismatchException"/> if the architectures differ.</summary>
    public static CheckpointState Load(string path, nn.Module model, optim.Optimizer optimizer)
    {
        var helper = RequireHelper(optimizer);
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        string magic = reader.ReadString();
        if (magic != Magic) throw new InvalidDataException($"{path} is not a ModelDsl checkpoint (header '{magic}', expected '{Magic}').");
        int epoch = reader.ReadInt32();
        long step = reader.ReadInt64();
        var history = History.FromCsv(reader.ReadString());
        int count = reader.ReadInt32();
        var saved = new List<(string Name, string Shape)>();
        for (int i = 0; i < count; i++) saved.Add((reader.ReadString(), reader.ReadString()));

        var mismatches = Compare(saved, Shapes(model));
        if (mismatches.Count > 0) throw new CheckpointMismatchException(path, mismatches);

        model.load(reader, strict: true);
        helper.load_state_dict(reader);
        return new CheckpointState(epoch, step, history);
    }

    private static OptimizerHelper RequireHelper(optim.Optimizer optimizer)
        => optimizer as OptimizerHelper ?? throw new ArgumentException(
            $"Checkpoint: optimizer {optimizer.GetType().Name} cannot save its state (TorchSharp's built-in optimizers derive from OptimizerHelper).", nameof(optimizer));

    private static List<(string Name, string Shape)> Shapes(nn.Module model)
        => model.state_dict().Select(kv => (kv.Key, "[" + string.Join(", ", kv.Value.shape) + "]")).ToList();

    private static List<string> Compare(List<(string Name, string Shape)> saved, List<(string Name, string Shape)> current)
    {
        var inModel = current.ToDictionary(e => e.Name, e => e.Shape);
        var inFile = saved.ToDictionary(e => e.Name, e => e.Shape);
        var mismatches = new List<string>();
        foreach (var (name, shape) in saved)
        {
            if (!inModel.TryGetValue(name, out string? modelShape)) mismatches.Add($"{name}: in the checkpoint {shape}, not in the model");
            else if (modelShape != shape) mismatches.Add($"{name}: checkpoint {shape}, model {modelShape}");
        }
        foreach (var (name, shape) in current)
            if (!inFile.ContainsKey(name)) mismatches.Add($"{name}: in the model {shape}, not in the checkpoint");
        return mismatches;
    }
}
