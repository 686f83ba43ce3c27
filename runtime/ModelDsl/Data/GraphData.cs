using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>
/// N samples of a model with several inputs and targets, held in memory as named tensors with the same first dimension:
/// row i of every input and every target is sample i (the <see cref="Training.GraphTrainer{TOutput}"/> shuffles them
/// with one permutation, so rows stay aligned). Inputs are named as the model's <c>[Input]</c>s; targets as the trainer's
/// outputs refer to them. Owns every tensor: they live outside any dispose scope until <see cref="Dispose"/>.
/// </summary>
public sealed class GraphData : IDisposable
{
    private readonly Dictionary<string, Tensor> inputs;
    private readonly Dictionary<string, Tensor> targets;

    /// <summary>Takes ownership of <paramref name="inputs"/> and <paramref name="targets"/>, each [N, …] with the same N.</summary>
    /// <exception cref="ArgumentException">No inputs, a scalar tensor, a name used twice, or first dimensions that differ (the message lists every shape).</exception>
    public GraphData(IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyDictionary<string, Tensor> targets)
    {
        if (inputs.Count == 0) throw new ArgumentException("GraphData: no inputs.", nameof(inputs));
        var all = inputs.Select(p => ("input", p.Key, p.Value)).Concat(targets.Select(p => ("target", p.Key, p.Value))).ToList();
        string shapes = string.Join(", ", all.Select(t => $"{t.Item1} '{t.Key}' [{string.Join(", ", t.Value.shape)}]"));
        if (all.Any(t => t.Value.shape.Length == 0) || all.Select(t => t.Value.shape[0]).Distinct().Count() != 1)
            throw new ArgumentException($"GraphData: every input and target must be [N, …] with the same N, got {shapes}.");
        string? twice = inputs.Keys.Intersect(targets.Keys).FirstOrDefault();
        if (twice is not null) throw new ArgumentException($"GraphData: '{twice}' names both an input and a target.");
        this.inputs = inputs.ToDictionary(p => p.Key, p => p.Value.DetachFromDisposeScope());
        this.targets = targets.ToDictionary(p => p.Key, p => p.Value.DetachFromDisposeScope());
    }

    /// <summary>The inputs by name, each [N, …].</summary>
    public IReadOnlyDictionary<string, Tensor> Inputs => inputs;

    /// <summary>The targets by name, each [N, …] (Int64 class indices [N] for cross-entropy, floats for regression).</summary>
    public IReadOnlyDictionary<string, Tensor> Targets => targets;

    /// <summary>Number of samples N.</summary>
    public long Count => inputs.Values.First().shape[0];

    /// <summary>A copy of the samples <paramref name="start"/> … <paramref name="start"/>+<paramref name="count"/>−1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is empty or leaves [0, N).</exception>
    public GraphData Slice(long start, long count)
    {
        if (start < 0 || count <= 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"GraphData.Slice: [{start}, {start + count}) is outside [0, {Count}).");
        return new GraphData(
            inputs.ToDictionary(p => p.Key, p => p.Value.narrow(0, start, count).clone()),
            targets.ToDictionary(p => p.Key, p => p.Value.narrow(0, start, count).clone()));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var tensor in inputs.Values.Concat(targets.Values)) tensor.Dispose();
    }
}
