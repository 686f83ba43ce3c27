using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// One residual unit, y = activation(branch(x) + shortcut(x)) (He, Zhang, Ren and Sun 2016, eq. 1–2): what a
/// <c>[Residual]</c> block generates, once per repetition. The branch's layers are registered as direct children under
/// their own names, so the state_dict keys read like torchvision's (<c>stage1.0.conv1.weight</c>,
/// <c>stage1.0.shortcut.conv.weight</c>, <c>stage1.0.batchnorm2.running_mean</c>).
/// </summary>
/// <remarks>
/// Written by hand because TorchSharp has no residual container. The sum is out of place: an in-place add would
/// overwrite a branch output that autograd may have saved (a ReLU's, for one). The branch's results, the shortcut's and
/// the sum are freed as soon as they are read (<see cref="Intermediate"/>), as TorchSharp's Sequential frees its own.
/// </remarks>
public sealed partial class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor>[] branch;
    private readonly string[] branchNames;
    private readonly nn.Module<Tensor, Tensor>? shortcut;
    // Kept with its child name (relu, …), not in a module field: TorchSharp's RegisterComponents, run when a module holding
    // this unit registers it, registers every module field not yet registered under the field's name, which would add the
    // activation a second time as "activation" (the walk skips arrays such as the branch's).
    private readonly (string Name, nn.Module<Tensor, Tensor> Module)? activation;

    /// <summary>Builds the unit from its already initialized layers.</summary>
    /// <param name="branch">The branch's layers in order, with their child names (conv1, batchnorm1, relu, …); at least one.</param>
    /// <param name="shortcut">The projection (registered as <c>shortcut</c>), or null for the identity.</param>
    /// <param name="activation">The activation after the sum with its child name, or null for none (pre-activation).</param>
    public ResidualBlock(IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Module)> branch, nn.Module<Tensor, Tensor>? shortcut = null,
        (string Name, nn.Module<Tensor, Tensor> Module)? activation = null)
        : base(nameof(ResidualBlock))
    {
        ArgumentNullException.ThrowIfNull(branch);
        if (branch.Count == 0) throw new ArgumentException("A residual branch needs at least one layer.", nameof(branch));
        this.branch = branch.Select(b => b.Module).ToArray();
        branchNames = branch.Select(b => b.Name).ToArray();
        foreach ((string name, nn.Module<Tensor, Tensor> module) in branch) register_module(name, module);
        if (shortcut is not null)
        {
            this.shortcut = shortcut;
            register_module(nameof(shortcut), shortcut);
        }
        if (activation is { } after)
        {
            this.activation = after;
            register_module(after.Name, after.Module);
        }
    }

    /// <summary>The branch's layers in order, with their child names.</summary>
    public IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Module)> Branch => branchNames.Zip(branch, (n, m) => (n, m)).ToArray();

    /// <summary>The projection shortcut, or null for the identity.</summary>
    public nn.Module<Tensor, Tensor>? Shortcut => shortcut;

    /// <summary>The activation after the sum, or null.</summary>
    public nn.Module<Tensor, Tensor>? Activation => activation?.Module;

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">The branch and the shortcut disagree on the shape (the input is not the declared one).</exception>
    public override Tensor forward(Tensor input)
    {
        // Each intermediate is freed once the next layer has read it (Intermediate says why that matters).
        Tensor x = input;
        foreach (nn.Module<Tensor, Tensor> layer in branch)
            x = Intermediate.Replace(x, layer is Conv2d conv ? ChannelsLast.Convolve(conv, x) : layer.forward(x), input);
        Tensor skip = shortcut is null ? input : shortcut.forward(input);
        if (!x.shape.SequenceEqual(skip.shape))
        {
            string branchShape = ShapeMismatchException.Format(x.shape), shortcutShape = ShapeMismatchException.Format(skip.shape);
            throw new ShapeMismatchException(nameof(ResidualBlock), shortcutShape, branchShape,
                $"ResidualBlock: for the input {ShapeMismatchException.Format(input.shape)} the branch returns {branchShape} but the shortcut {shortcutShape}; they must match to be added (a projection shortcut makes them match).");
        }
        Tensor sum = x + skip;
        Intermediate.Release(x, input);
        Intermediate.Release(skip, input);
        return activation is { } after ? Intermediate.Replace(sum, after.Module.forward(sum), input) : sum;
    }

}
