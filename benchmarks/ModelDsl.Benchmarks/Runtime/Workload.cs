using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// One model with its optimizer and a batch (MNIST-sized 128×784 unless another input shape is given): what a forward
/// pass and a training step cost. Used by the overhead benchmarks (generated vs hand-written), the memory run and the
/// compute-ceiling report, so they all time the same step. An optional penalty is added to the loss (the Penalty() cost).
/// </summary>
public sealed class Workload : IDisposable
{
    public const int Batch = 128, Inputs = 784, Hidden = 256, Classes = 10;

    /// <summary>
    /// Matmul FLOPs of one training step: per Linear, forward 2·B·in·out and the weight gradient as much again; the input
    /// gradient (another 2·B·in·out) only for the second Linear, since autograd skips it for the first, whose input (the
    /// batch) does not require grad.
    /// </summary>
    public const double TrainStepMatmulFlops = 2.0 * Batch * (2.0 * Inputs * Hidden + 3.0 * Hidden * Classes);

    /// <summary>
    /// <c>MODELDSL_BENCH_AUTOCAST=bf16</c> runs each training step's forward pass and loss under bfloat16 autocast, as
    /// <c>TrainerOptions.Autocast</c> does (generated and hand-written models alike).
    /// </summary>
    public static readonly bool Autocast = string.Equals(Environment.GetEnvironmentVariable("MODELDSL_BENCH_AUTOCAST"), "bf16", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Training steps between gen-0 collections, as the Trainer runs them (<see cref="Training.FinalizerCollection"/>):
    /// the environment variable <c>MODELDSL_BENCH_COLLECT_EVERY</c> (the Trainer's default is 50); none when it is unset,
    /// as in a hand-written loop. Without collections the native blocks TorchSharp leaves to finalizers (implicit scalars,
    /// the delegates of each custom autograd node) fragment glibc's heap over hundreds of steps (docs/speed.md).
    /// </summary>
    public static readonly int CollectEverySteps = int.TryParse(Environment.GetEnvironmentVariable("MODELDSL_BENCH_COLLECT_EVERY"), out int steps) && steps > 0 ? steps : 0;

    private readonly Training.FinalizerCollection collection = new(CollectEverySteps);
    private readonly SGD optimizer;
    private readonly Func<Tensor>? penalty;
    private readonly Action? afterBackward;

    public Workload(nn.Module<Tensor, Tensor> model) : this(model, new long[] { Batch, Inputs }) { }

    /// <param name="model">The model; disposed with the workload.</param>
    /// <param name="inputShape">The batch's shape, batch first; the targets are <c>inputShape[0]</c> random classes.</param>
    /// <param name="penalty">Added to the loss in <see cref="TrainStep"/> when given (e.g. a generated model's Penalty).</param>
    /// <param name="afterBackward">Run between backward and the optimizer step (e.g. AddPenaltyGradients, the Trainer's path).</param>
    public Workload(nn.Module<Tensor, Tensor> model, long[] inputShape, Func<Tensor>? penalty = null, Action? afterBackward = null)
        : this(model, randn(inputShape), penalty, afterBackward) { }

    /// <param name="model">The model; disposed with the workload.</param>
    /// <param name="input">The batch (token ids for a token model), owned by the workload; the targets are <c>input.shape[0]</c> random classes.</param>
    /// <param name="penalty">Added to the loss in <see cref="TrainStep"/> when given.</param>
    /// <param name="afterBackward">Run between backward and the optimizer step.</param>
    public Workload(nn.Module<Tensor, Tensor> model, Tensor input, Func<Tensor>? penalty = null, Action? afterBackward = null)
    {
        Model = model;
        this.penalty = penalty;
        this.afterBackward = afterBackward;
        optimizer = optim.SGD(model.parameters(), learningRate: 0.01);
        Input = input.DetachFromDisposeScope();
        Target = randint(0, Classes, new long[] { input.shape[0] }, dtype: int64).DetachFromDisposeScope();
    }

    public nn.Module<Tensor, Tensor> Model { get; }

    public Tensor Input { get; }

    public Tensor Target { get; }

    /// <summary>Inference: eval mode, no autograd graph.</summary>
    public float Forward()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Model.eval();
        return Model.forward(Input).ReadCpuSingle(0);
    }

    /// <summary>Forward in training mode, cross-entropy (plus the penalty, if any), backward, one SGD step.</summary>
    public float TrainStep(Tensor? input = null)
    {
        float loss = Step(input);
        collection.AfterStep();   // after the step's tensors are freed, as the Trainer does
        return loss;
    }

    private float Step(Tensor? input)
    {
        using var scope = NewDisposeScope();
        Model.train();
        optimizer.zero_grad();
        Tensor loss;
        using (Autocast ? ModelDsl.Autocast.Enable() : null) loss = nn.functional.cross_entropy(Model.forward(input ?? Input), Target);
        if (penalty is not null) loss = loss + penalty();
        loss.backward();
        afterBackward?.Invoke();
        optimizer.step();
        return loss.ToSingle();
    }

    /// <summary>The generated card model and a hand-written one holding a copy of its weights and buffers.</summary>
    public static (CardMlp Generated, HandWrittenMlp HandWritten) Pair(long seed) => CopyWeights(new CardMlp(seed: seed), new HandWrittenMlp());

    /// <summary>
    /// Copies every parameter and buffer of <paramref name="generated"/> into <paramref name="handWritten"/> by state_dict
    /// name, and checks that both hold the same names and identical values, so the pair computes the same function.
    /// </summary>
    /// <param name="rename">Maps a generated state_dict name to the hand-written one (where the generated model nests its modules).</param>
    public static (TG Generated, TH HandWritten) CopyWeights<TG, TH>(TG generated, TH handWritten, Func<string, string>? rename = null)
        where TG : nn.Module where TH : nn.Module
    {
        var state = generated.state_dict().ToDictionary(kv => rename?.Invoke(kv.Key) ?? kv.Key, kv => kv.Value);
        handWritten.load_state_dict(state);
        var copied = handWritten.state_dict();
        bool same = copied.Count == state.Count && copied.All(kv => state.ContainsKey(kv.Key) && state[kv.Key].eq(kv.Value).all().item<bool>());
        if (!same) throw new InvalidOperationException($"{handWritten.GetName()} did not receive {generated.GetName()}'s weights and buffers.");
        return (generated, handWritten);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        Input.Dispose();
        Target.Dispose();
        Model.Dispose();
    }
}
