using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// One model with its optimizer and an MNIST-sized batch: what a forward pass and a training step cost. Used by the
/// overhead benchmark (generated vs hand-written), the memory run and the compute-ceiling report, so they all time the
/// same step.
/// </summary>
public sealed class Workload : IDisposable
{
    public const int Batch = 128, Inputs = 784, Hidden = 256, Classes = 10;

    /// <summary>Matmul FLOPs of one training step: per Linear, forward 2·B·in·out, and backward twice that (grad of input and of weight).</summary>
    public const double TrainStepMatmulFlops = 3.0 * 2 * Batch * ((double)Inputs * Hidden + (double)Hidden * Classes);

    private readonly SGD optimizer;

    public Workload(nn.Module<Tensor, Tensor> model)
    {
        Model = model;
        optimizer = optim.SGD(model.parameters(), learningRate: 0.01);
        Input = randn(Batch, Inputs).DetachFromDisposeScope();
        Target = randint(0, Classes, new long[] { Batch }, dtype: int64).DetachFromDisposeScope();
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

    /// <summary>Forward in training mode, cross-entropy, backward, one SGD step.</summary>
    public float TrainStep(Tensor? input = null)
    {
        using var scope = NewDisposeScope();
        Model.train();
        optimizer.zero_grad();
        Tensor loss = nn.functional.cross_entropy(Model.forward(input ?? Input), Target);
        loss.backward();
        optimizer.step();
        return loss.ToSingle();
    }

    /// <summary>The generated card model and a hand-written one holding a copy of its weights and buffers.</summary>
    public static (CardMlp Generated, HandWrittenMlp HandWritten) Pair(long seed)
    {
        var generated = new CardMlp(seed: seed);
        var handWritten = new HandWrittenMlp();
        var state = generated.state_dict();
        handWritten.load_state_dict(state);
        bool same = handWritten.state_dict().All(kv => state[kv.Key].eq(kv.Value).all().item<bool>());
        if (!same) throw new InvalidOperationException("The hand-written MLP did not receive the generated model's weights.");
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
