using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// One optimizer step on one batch, the same for the <see cref="Trainer"/> and <see cref="BaggingTrainer"/>: forward, the
/// loss and its non-finite check, the weight-decay penalty (its gradient added in place, or the penalty term added to the
/// loss), backward, the optimizer step, the model's constraints (max-norm), and the periodic finalizer collection.
/// </summary>
/// <remarks>
/// A non-finite loss throws <see cref="NonFiniteLossException"/> before the optimizer step, so the parameters are those of
/// before the step; the forward pass has already updated buffers such as BatchNorm's running statistics, so every buffer is
/// copied before the forward pass and copied back before throwing. The copies go into tensors allocated once, one native
/// copy per buffer and step (none for models without buffers), with no synchronization.
/// </remarks>
internal sealed class TrainingStep : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly optim.Optimizer optimizer;
    private readonly Func<Tensor, Tensor, Tensor> loss;
    private readonly bool addPenalty;
    private readonly Tensor[] buffers;
    private readonly Tensor[] before;
    private readonly FinalizerCollection finalizers;

    public TrainingStep(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Func<Tensor, Tensor, Tensor> loss, bool addPenalty, int collectEverySteps)
    {
        this.model = model;
        this.optimizer = optimizer;
        this.loss = loss;
        this.addPenalty = addPenalty;
        buffers = model.buffers().ToArray();
        using (no_grad()) before = buffers.Select(b => b.detach().clone().DetachFromDisposeScope()).ToArray();
        finalizers = new FinalizerCollection(collectEverySteps);
    }

    /// <summary>
    /// Runs the step on (<paramref name="x"/>, <paramref name="y"/>) inside the caller's dispose scope and returns the model's
    /// output and the data loss. <paramref name="epoch"/> and <paramref name="step"/> (1-based) name the step in errors.
    /// </summary>
    public (Tensor Output, double Loss) Run(Tensor x, Tensor y, int epoch, long step)
    {
        for (int i = 0; i < buffers.Length; i++) before[i].copy_(buffers[i]);
        optimizer.zero_grad();
        Tensor output = model.forward(x);
        Tensor dataLoss = loss(output, y);
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
        optimizer.step();
        // Max-norm and other constraints project the weights back after every step (Srivastava et al. 2014).
        if (model is IConstrainedModel constrained) constrained.ApplyConstraints();
        finalizers.AfterStep();
        return (output, dataLossValue);
    }

    public void Dispose()
    {
        foreach (var copy in before) copy.Dispose();
    }

    // The optimizer has not stepped, so the parameters are as before; the buffers get their pre-step values back.
    private NonFiniteLossException NonFinite(int epoch, long step, double value)
    {
        using (no_grad())
            for (int i = 0; i < buffers.Length; i++) buffers[i].copy_(before[i]);
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
