using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// A small training loop for ensemble members (bagging, 5.7): each member gets its own optimizer, its own data (a bootstrap
/// sample or the full set) and its own shuffle order. Each step is the Trainer's own (TrainingStep): weight-decay penalty
/// gradients, max-norm constraints, the non-finite check with buffers rolled back, finalizer collection; frozen modules stay
/// frozen and a last batch of one is dropped for BatchNorm members, as in the Trainer. Every step runs inside a dispose scope.
/// </summary>
public static class BaggingTrainer
{
    /// <summary>
    /// Trains every member on (<paramref name="inputs"/>, <paramref name="targets"/>) and returns each member's mean loss over
    /// its last epoch. Batches move to the member's device.
    /// </summary>
    /// <param name="members">The members (e.g. <c>ensemble.Members</c>).</param>
    /// <param name="inputs">All inputs [n, …].</param>
    /// <param name="targets">All targets [n, …].</param>
    /// <param name="loss">loss(prediction, target) → scalar.</param>
    /// <param name="optimizer">Creates a member's optimizer, e.g. <c>m => optim.Adam(m.parameters(), 1e-3)</c>.</param>
    /// <param name="options">Epochs, batch size, bootstrap or full data, seed, parallel.</param>
    public static double[] Train<TModel>(
        IReadOnlyList<TModel> members,
        Tensor inputs,
        Tensor targets,
        Func<Tensor, Tensor, Tensor> loss,
        Func<TModel, optim.Optimizer> optimizer,
        BaggingOptions options) where TModel : nn.Module<Tensor, Tensor>
    {
        if (inputs.shape[0] != targets.shape[0])
            throw new ArgumentException($"BaggingTrainer: inputs have {inputs.shape[0]} examples but targets {targets.shape[0]}", nameof(targets));
        if (options.Epochs < 1 || options.BatchSize < 1)
            throw new ArgumentException($"BaggingTrainer needs Epochs ≥ 1 and BatchSize ≥ 1, but got {options.Epochs} and {options.BatchSize}", nameof(options));

        if (options.Parallel && !options.AllowConcurrentRuns && members.Any(ConcurrentRuns.DrawsFromGlobalGenerator))
        {
            throw new InvalidOperationException(
                "BaggingTrainer: Parallel = true with members that use dropout or noise, which draw from TorchSharp's one global generator: "
                + "parallel members would interleave their draws and not be reproducible from the seed. Set Parallel = false, or AllowConcurrentRuns = true to accept that.");
        }
        using var run = ConcurrentRuns.Enter("BaggingTrainer.Train", members, options.AllowConcurrentRuns);
        var sampler = new BootstrapSampler(inputs.shape[0], options.Seed);
        var losses = new double[members.Count];
        if (options.Parallel)
        {
            // One thread per member; dispose scopes are per thread, so each member's tensors are freed by its own thread.
            Parallel.For(0, members.Count, new ParallelOptions { MaxDegreeOfParallelism = members.Count },
                i => losses[i] = TrainMember(members[i], i, inputs, targets, loss, optimizer, options, sampler));
        }
        else
        {
            for (int i = 0; i < members.Count; i++) losses[i] = TrainMember(members[i], i, inputs, targets, loss, optimizer, options, sampler);
        }
        return losses;
    }

    private static double TrainMember<TModel>(TModel member, int index, Tensor inputs, Tensor targets, Func<Tensor, Tensor, Tensor> loss,
        Func<TModel, optim.Optimizer> makeOptimizer, BaggingOptions options, BootstrapSampler sampler) where TModel : nn.Module<Tensor, Tensor>
    {
        Device device = DeviceOf(member);
        using optim.Optimizer optimizer = makeOptimizer(member);
        using var shuffles = new Generator(unchecked((ulong)EnsembleSeeds.ForMember(options.Seed ^ 0x5DEECE66DL, index)!.Value), CPU);
        using Tensor indices = options.Bootstrap ? sampler.Sample(index) : arange(inputs.shape[0], dtype: ScalarType.Int64);
        long n = indices.shape[0];
        member.TrainExceptFrozen();
        int batches = Trainer.Batches(n, options.BatchSize, options.DropLast, member);
        using var step = new TrainingStep(member, optimizer, loss, options.AddPenalty, options.CollectEverySteps, options.MaxSkippedSteps) { Autocast = options.Autocast };
        long steps = 0;
        double lastEpoch = 0;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            double total = 0;
            long seen = 0;
            using (var epochScope = NewDisposeScope())
            {
                Tensor order = indices.index_select(0, randperm(n, generator: shuffles));
                for (int b = 0; b < batches; b++)
                {
                    using var scope = NewDisposeScope();
                    long start = (long)b * options.BatchSize;
                    Tensor batch = order.narrow(0, start, Math.Min(options.BatchSize, n - start));
                    Tensor x = inputs.index_select(0, batch).to(device);
                    Tensor y = targets.index_select(0, batch).to(device);
                    double value = step.Run(x, y, epoch, ++steps).Loss;
                    total += value * batch.shape[0];
                    seen += batch.shape[0];
                }
            }
            lastEpoch = total / seen;
        }
        return lastEpoch;
    }

    private static Device DeviceOf(nn.Module<Tensor, Tensor> member)
    {
        foreach (var p in member.parameters()) return p.device;
        return CPU;
    }
}
