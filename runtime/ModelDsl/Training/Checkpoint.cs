using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// One file with model state, optimizer state, epoch, step, history and the training loop's and callbacks' state, so a
/// resumed run continues exactly as the uninterrupted one. Layout: the 8 bytes <c>MDSLCKPT</c>, the format version
/// (int32), the payload length (int64), the payload's SHA-256 (32 bytes), then the payload: epoch, step, history, the
/// model's tensor list, the loop's and callbacks' sections, then the model's and optimizer's tensors (format 3 puts the
/// sections before the tensors, so a callback can shape the optimizer, e.g. add the groups an unfreeze added, before the
/// optimizer's state is applied; format 2 wrote them after). Loading verifies all of it
/// and the model's keys, shapes and dtypes before touching the model, and restores model and optimizer if applying still
/// fails, so a load is all or nothing; every error names the file and what is wrong. Writing goes to a temporary file of
/// its own (unique per writer), flushed to disk and renamed over the target, so a crash or a second writer never leaves
/// anything but one whole checkpoint at the path.
/// </summary>
public static class Checkpoint
{
    /// <summary>The format this version writes; it reads this one, format 2 (sections after the tensors) and format 1 (no checksum).</summary>
    public const int FormatVersion = 3;

    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("MDSLCKPT");
    private const string MagicV1 = "ModelDsl.Checkpoint/1";
    private const int HeaderLength = 8 + 4 + 8 + 32;

    /// <summary>Writes the checkpoint atomically (model, optimizer, epoch, step and history only).</summary>
    public static void Save(string path, nn.Module model, optim.Optimizer optimizer, int epoch, long step, History history)
        => Save(path, model, optimizer, new CheckpointState(epoch, step, history));

    /// <summary>Writes the checkpoint atomically, with the loop and callback state in <paramref name="state"/>.</summary>
    public static void Save(string path, nn.Module model, optim.Optimizer optimizer, CheckpointState state)
    {
        var helper = RequireHelper(optimizer);
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(state.Epoch);
            writer.Write(state.Step);
            writer.Write(state.History.ToCsv());
            var entries = Entries(model);
            writer.Write(entries.Count);
            foreach (var entry in entries)
            {
                writer.Write(entry.Name);
                writer.Write(entry.Shape);
                writer.Write(entry.Type ?? "");
            }
            WriteSections(writer, state.LoopState);
            WriteSections(writer, state.CallbackStates);
            model.save(writer);
            helper.save_state_dict(writer);
        }
        byte[] body = payload.ToArray();

        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // Unique per writer: two processes saving to one path each rename a whole file of their own; the last rename wins.
        string temporary = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new BinaryWriter(stream))
            {
                writer.Write(Magic);
                writer.Write(FormatVersion);
                writer.Write((long)body.Length);
                writer.Write(SHA256.HashData(body));
                writer.Write(body);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Loads a checkpoint into <paramref name="model"/> and <paramref name="optimizer"/>, all or nothing.
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint, is truncated, corrupted or from a newer version (the message says which).</exception>
    /// <exception cref="CheckpointMismatchException">The checkpoint's tensors do not fit the model (keys, shapes or dtypes listed).</exception>
    public static CheckpointState Load(string path, nn.Module model, optim.Optimizer optimizer) => Load(path, model, optimizer, beforeApply: null);

    /// <summary>
    /// <see cref="Load(string, nn.Module, optim.Optimizer)"/>, calling <paramref name="beforeApply"/> with the checkpoint's
    /// loop and callback sections once the file is verified and its tensors fit the model, before the model's and
    /// optimizer's state is applied (a format-2 or format-1 file gives it no sections).
    /// </summary>
    internal static CheckpointState Load(string path, nn.Module model, optim.Optimizer optimizer, Action<CheckpointState>? beforeApply)
    {
        var helper = RequireHelper(optimizer);
        byte[] file = File.ReadAllBytes(path);
        byte[] body = Verify(path, file, out int version);
        using var reader = new BinaryReader(new MemoryStream(body, writable: false), Encoding.UTF8);
        var (epoch, step, history, saved) = Parse(path, () =>
        {
            if (version == 1 && reader.ReadString() != MagicV1) throw new InvalidDataException("format 1 header");
            int epoch = reader.ReadInt32();
            long step = reader.ReadInt64();
            var history = History.FromCsv(reader.ReadString());
            int count = reader.ReadInt32();
            if (count < 0 || count > body.Length) throw new InvalidDataException($"{count} state entries");
            var saved = new List<Entry>();
            for (int i = 0; i < count; i++) saved.Add(new Entry(reader.ReadString(), reader.ReadString(), version == 1 ? null : reader.ReadString()));
            return (epoch, step, history, saved);
        });
        var mismatches = Compare(saved, Entries(model));
        if (mismatches.Count > 0) throw new CheckpointMismatchException(path, mismatches);

        (Dictionary<string, byte[]> Loop, Dictionary<string, byte[]> Callbacks) Sections()
            => (Parse(path, () => ReadSections(reader)), Parse(path, () => ReadSections(reader)));
        var none = (Loop: new Dictionary<string, byte[]>(), Callbacks: new Dictionary<string, byte[]>());
        var sections = version >= 3 ? Sections() : none;
        beforeApply?.Invoke(new CheckpointState(epoch, step, history) { LoopState = sections.Loop, CallbackStates = sections.Callbacks });
        Apply(path, model, helper, reader);
        if (version == 2) sections = Sections();
        return new CheckpointState(epoch, step, history) { LoopState = sections.Loop, CallbackStates = sections.Callbacks };
    }

    // A verified file parses; a format-1 file (no checksum) may not, and then says so with its path.
    private static T Parse<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or FormatException or IndexOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException($"Checkpoint {path} is damaged: its contents do not parse ({e.Message}).", e);
        }
    }

    // Everything about the file is checked before the model is touched: magic, version, length and checksum.
    private static byte[] Verify(string path, byte[] file, out int version)
    {
        if (file.Length > MagicV1.Length && file[0] == MagicV1.Length && Encoding.ASCII.GetString(file, 1, MagicV1.Length) == MagicV1)
        {
            version = 1; // earlier versions: no checksum, so only the parse and the rollback in Apply protect the model
            return file;
        }
        if (file.Length < Magic.Length || !file.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            string start = Convert.ToHexString(file, 0, Math.Min(file.Length, 8));
            throw new InvalidDataException(
                $"{path} is not a ModelDsl checkpoint: it starts with bytes {(start.Length == 0 ? "(none: the file is empty)" : start)}, not 'MDSLCKPT' (4D44534C434B5054).");
        }
        if (file.Length < HeaderLength)
            throw new InvalidDataException($"Checkpoint {path} is truncated: {file.Length} bytes, shorter than its {HeaderLength}-byte header.");
        version = BitConverter.ToInt32(file, 8);
        if (version is not (2 or FormatVersion))
            throw new InvalidDataException($"Checkpoint {path} has format version {version}; this ModelDsl reads versions 1 to {FormatVersion} (a newer ModelDsl wrote it?).");
        long length = BitConverter.ToInt64(file, 12);
        long actual = file.Length - HeaderLength;
        if (length != actual)
        {
            throw new InvalidDataException(actual < length
                ? $"Checkpoint {path} is truncated: its header announces {length} bytes of data, the file holds {actual}."
                : $"Checkpoint {path} has {actual - length} bytes more than its header announces ({length}): not one whole checkpoint.");
        }
        byte[] body = file[HeaderLength..];
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(file.AsSpan(20, 32)))
            throw new InvalidDataException($"Checkpoint {path} is corrupted: the SHA-256 of its {length} data bytes does not match the checksum in its header.");
        return body;
    }

    // Applying can still fail (an optimizer of another kind than the one saved): then model and optimizer get their state back.
    private static void Apply(string path, nn.Module model, OptimizerHelper optimizer, BinaryReader reader)
    {
        using var modelBefore = new ModelSnapshot(model);
        using var optimizerBefore = new MemoryStream();
        using (var writer = new BinaryWriter(optimizerBefore, Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(writer);
        try
        {
            model.load(reader, strict: true);
            optimizer.load_state_dict(reader);
        }
        catch (Exception e)
        {
            modelBefore.RestoreInto(model);
            optimizerBefore.Position = 0;
            using (var restore = new BinaryReader(optimizerBefore)) optimizer.load_state_dict(restore);
            throw new InvalidDataException($"Checkpoint {path} does not load into this model and optimizer ({e.Message}); both were left as they were.", e);
        }
    }

    private static void WriteSections(BinaryWriter writer, IReadOnlyDictionary<string, byte[]> sections)
    {
        writer.Write(sections.Count);
        foreach (var (key, bytes) in sections)
        {
            writer.Write(key);
            writer.Write(bytes.Length);
            writer.Write(bytes);
        }
    }

    private static Dictionary<string, byte[]> ReadSections(BinaryReader reader)
    {
        var sections = new Dictionary<string, byte[]>();
        int count = reader.ReadInt32();
        for (int i = 0; i < count; i++)
        {
            string key = reader.ReadString();
            int length = reader.ReadInt32();
            byte[] bytes = reader.ReadBytes(length);
            if (bytes.Length != length) throw new EndOfStreamException($"section '{key}' is cut short");
            sections[key] = bytes;
        }
        return sections;
    }

    private static OptimizerHelper RequireHelper(optim.Optimizer optimizer)
        => optimizer as OptimizerHelper ?? throw new ArgumentException(
            $"Checkpoint: optimizer {optimizer.GetType().Name} cannot save its state (TorchSharp's built-in optimizers derive from OptimizerHelper).", nameof(optimizer));

    private sealed record Entry(string Name, string Shape, string? Type);

    private static List<Entry> Entries(nn.Module model)
        => model.state_dict().Select(kv => new Entry(kv.Key, ShapeMismatchException.Format(kv.Value.shape), kv.Value.dtype.ToString())).ToList();

    private static List<string> Compare(List<Entry> saved, List<Entry> current)
    {
        var inModel = current.ToDictionary(e => e.Name);
        var inFile = saved.Select(e => e.Name).ToHashSet();
        var mismatches = new List<string>();
        foreach (var entry in saved)
        {
            if (!inModel.TryGetValue(entry.Name, out var model)) mismatches.Add($"{entry.Name}: in the checkpoint {entry.Shape}, not in the model");
            else if (model.Shape != entry.Shape) mismatches.Add($"{entry.Name}: checkpoint {entry.Shape}, model {model.Shape}");
            else if (entry.Type is not null && model.Type != entry.Type) mismatches.Add($"{entry.Name}: checkpoint {entry.Type}, model {model.Type} (convert the model with to() first)");
        }
        foreach (var entry in current)
            if (!inFile.Contains(entry.Name)) mismatches.Add($"{entry.Name}: in the model {entry.Shape}, not in the checkpoint");
        return mismatches;
    }
}
