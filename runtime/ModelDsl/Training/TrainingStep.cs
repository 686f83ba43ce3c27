using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// One optimizer step on one batch, the same for the <see cref="Trainer"/> and <see cref="BaggingTrainer"/>: forward, the
/// loss and its non-finite check, the weight-decay penalty (its gradient added in place, or the penalty term added to the
/// loss), backward, the gradient check, the optimizer step, the model's constraints (max-norm), and the periodic finalizer
/// collection. The <see cref="GraphTrainer{TOutput}"/> runs the same step over a forward of several inputs and a weighted
/// sum of losses (<see cref="Run{T}"/>).
/// </summary>
/// <remarks>
/// A non-finite loss throws <see cref="NonFiniteLossException"/> before the optimizer step, so the parameters are those of
/// before the step; the forward pass has already updated buffers such as BatchNorm's running statistics, so every buffer is
/// copied before the forward pass and copied back before throwing. The copies go into tensors allocated once, one native
/// copy per buffer and step (none for models without buffers), with no synchronization.
/// <para>
/// A finite loss with a non-finite gradient is what a faulty native kernel produces (libtorch 2.10's oneDNN convolutions
/// return NaN input gradients in a few of hundreds of calls on some AVX-512 CPUs). The step is then computed once more with
/// oneDNN off (<see cref="LibTorchBackends.OneDnnEnabled"/>); if that gradient is finite the step is taken with it and counted as recomputed.
/// Otherwise the buffers are restored, the optimizer does not step (as PyTorch's GradScaler skips a step with inf gradients)
/// and the step is counted as skipped; more than <c>maxSkippedSteps</c> skipped steps in a row throw
/// <see cref="NonFiniteGradientException"/>. The check is one sum per parameter and one synchronization per step.
/// </para>
/// </remarks>
internal sealed class TrainingStep : IDisposable
{
    private readonly nn.Module model;
    private readonly optim.Optimizer optimizer;
    private readonly Func<Tensor, Tensor, Tensor>? loss;
    private readonly bool addPenalty;
    private readonly int maxSkippedSteps;
    private readonly Tensor[] buffers;
    private readonly Tensor[] before;
    private readonly TorchSharp.Modules.Parameter[] parameters;
    private readonly FinalizerCollection finalizers;
    private int skippedInARow;

    public TrainingStep(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Func<Tensor, Tensor, Tensor> loss, bool addPenalty, int collectEverySteps, int maxSkippedSteps)
        : this((nn.Module)model, optimizer, addPenalty, collectEverySteps, maxSkippedSteps)
        => this.loss = loss;

    /// <summary>A step whose forward and loss the caller gives to <see cref="Run{T}"/> (any number of inputs and outputs).</summary>
    public TrainingStep(nn.Module model, optim.Optimizer optimizer, bool addPenalty, int collectEverySteps, int maxSkippedSteps)
    {
        TorchNative.EnsureLoaded();
        this.model = model;
        this.optimizer = optimizer;
        this.addPenalty = addPenalty;
        this.maxSkippedSteps = maxSkippedSteps;
        buffers = model.buffers().ToArray();
        parameters = model.parameters().Where(p => p.requires_grad).ToArray();
        using (no_grad()) before = buffers.Select(b => b.detach().clone().DetachFromDisposeScope()).ToArray();
        finalizers = new FinalizerCollection(collectEverySteps);
    }

    /// <summary>Whether the forward pass and loss run under bfloat16 autocast (<see cref="TrainerOptions.Autocast"/>).</summary>
    public bool Autocast { get; init; }

    /// <summary>Steps whose gradient was non-finite and finite when computed again without oneDNN.</summary>
    public long Recomputed { get; private set; }

    /// <summary>Steps skipped because the gradient stayed non-finite.</summary>
    public long Skipped { get; private set; }

    /// <summary>
    /// Runs the step on (<paramref name="x"/>, <paramref name="y"/>) inside the caller's dispose scope and returns the model's
    /// output and the data loss, and whether the step was skipped. <paramref name="epoch"/> and <paramref name="step"/>
    /// (1-based) name the step in errors.
    /// </summary>
    public StepResult Run(Tensor x, Tensor y, int epoch, long step)
    {
        if (loss is null || model is not nn.Module<Tensor, Tensor> single) throw new InvalidOperationException("TrainingStep: Run(x, y) needs the constructor with a loss and a one-input model.");
        var (output, dataLoss, skipped) = Run(() => { Tensor o = single.forward(x); return (o, loss(o, y)); }, epoch, step);
        return new StepResult(output, dataLoss, skipped);
    }

    /// <summary>
    /// Runs the step with <paramref name="forwardLoss"/> (the forward pass and the scalar data loss it is trained on) inside
    /// the caller's dispose scope; returns the forward's result, the loss value and whether the step was skipped. The
    /// function runs a second time when the gradient is recomputed without oneDNN.
    /// </summary>
    public (T Output, double Loss, bool Skipped) Run<T>(Func<(T Output, Tensor Loss)> forwardLoss, int epoch, long step)
    {
        for (int i = 0; i < buffers.Length; i++) before[i].copy_(buffers[i]);
        var (output, dataLoss) = ForwardBackward(forwardLoss, epoch, step);
        if (!GradientsFinite())
        {
            RestoreBuffers();
            bool finite = false;
            if (LibTorchBackends.IsSwitchable && LibTorchBackends.OneDnnEnabled)
            {
                (output, dataLoss) = LibTorchBackends.WithoutOneDnn(() => ForwardBackward(forwardLoss, epoch, step));
                finite = GradientsFinite();
                if (finite) Recomputed++;
                else RestoreBuffers();
            }
            if (!finite)
            {
                Skipped++;
                if (++skippedInARow > maxSkippedSteps) throw new NonFiniteGradientException(epoch, step, FirstNonFiniteGradient(), skippedInARow);
                optimizer.zero_grad();
                return (output, dataLoss, true);
            }
        }
        skippedInARow = 0;
        optimizer.step();
        // Max-norm and other constraints project the weights back after every step (Srivastava et al. 2014).
        if (model is IConstrainedModel constrained) constrained.ApplyConstraints();
        finalizers.AfterStep();
        return (output, dataLoss, false);
    }

    public void Dispose()
    {
        foreach (var copy in before) copy.Dispose();
    }

    private (T Output, double Loss) ForwardBackward<T>(Func<(T Output, Tensor Loss)> forwardLoss, int epoch, long step)
    {
        optimizer.zero_grad();
        T output;
        Tensor dataLoss;
        // Only the forward pass and the loss: backward replays what they recorded, casts included (as with torch.autocast).
        using (Autocast ? ModelDsl.Autocast.Enable() : null) (output, dataLoss) = forwardLoss();
        double dataLossValue = dataLoss.ToDouble();
        if (!double.IsFinite(dataLossValue)) throw NonFinite(epoch, step, dataLossValue);

        if (addPenalty && model is IWeightDecayModel decayed)
        {
            // J + λR without a second autograd branch: backpropagate J, then add ∇R in place (same gradients). The penalty's
            // value is reported at each check, not computed every step.
            dataLoss.backward();
            decayed.AddPenaltyGradients();
        }
        else if (addPenalty && model is IRegularizedModel regularized)
        {
            Tensor objective = dataLoss + regularized.Penalty();
            double objectiveValue = objective.ToDouble();
            if (!double.IsFinite(objectiveValue)) throw NonFinite(epoch, step, objectiveValue);
            objective.backward();
        }
        else
        {
            dataLoss.backward();
        }
        return (output, dataLossValue);
    }

    // One sum per gradient and one synchronization: NaN and ∞ survive a sum (a finite sum overflowing float32 would need a
    // gradient of 1e38, past any training that is still meaningful).
    private bool GradientsFinite()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sums = parameters.Where(p => p.grad is not null).Select(p => p.grad!.sum()).ToArray();
        return sums.Length == 0 || stack(sums).isfinite().all().item<bool>();
    }

    private string FirstNonFiniteGradient()
    {
        using var scope = NewDisposeScope();
        foreach (var (name, parameter) in model.named_parameters())
            if (parameter.grad is Tensor grad && !grad.isfinite().all().item<bool>()) return name;
        return "(none)";
    }

    private void RestoreBuffers()
    {
        using (no_grad())
            for (int i = 0; i < buffers.Length; i++) buffers[i].copy_(before[i]);
    }

    // The optimizer has not stepped, so the parameters are as before; the buffers get their pre-step values back.
    private NonFiniteLossException NonFinite(int epoch, long step, double value)
    {
        RestoreBuffers();
        return new NonFiniteLossException(epoch, step, value, FirstNonFiniteParameter());
    }

    private string? FirstNonFiniteParameter()
    {
        using var scope = NewDisposeScope();
        foreach (var (name, parameter) in model.named_parameters())
            if (!parameter.isfinite().all().item<bool>()) return name;
        return null;
    }
}

/// <summary>What one <see cref="TrainingStep.Run"/> produced.</summary>
internal readonly record struct StepResult(Tensor Output, double Loss, bool Skipped);
