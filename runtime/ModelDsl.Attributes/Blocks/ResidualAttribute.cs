using System;

namespace ModelDsl;

/// <summary>
/// On a named block: the block is a residual unit, output = activation(x + branch(x)), where the branch is the block's
/// layers (He, Zhang, Ren and Sun 2016, "Deep Residual Learning for Image Recognition", eq. 1–2). With
/// <see cref="Repeat"/> = n the block is n such units in a row (a ResNet stage), each with its own weights; a stride
/// declared in the branch applies to the first unit only, as in ResNet's conv3_1, conv4_1, conv5_1. The block's
/// state_dict keys read <c>stage1.0.conv1.weight</c>, <c>stage1.0.shortcut.conv.weight</c>.
/// </summary>
/// <remarks>
/// When the branch changes the shape, the shortcut is a projection chosen at compile time (He et al. 2016, option B):
/// a 1×1 Conv2d with the block's stride (plus a BatchNorm when the branch has one) for images, a Linear without bias for
/// features. <see cref="Shortcut"/> = <see cref="Shortcut.Identity"/> forbids projections (MD0070 when the shapes differ).
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class ResidualAttribute : Attribute
{
    /// <summary>How many units the block stacks (at least 1); each has its own weights.</summary>
    public int Repeat { get; set; } = 1;

    /// <summary>
    /// Applied after the sum: <see cref="Activation.ReLU"/> for the original (post-activation) ResNet,
    /// <see cref="Activation.None"/> for the pre-activation ResNet (He et al. 2016b, "Identity Mappings in Deep Residual Networks").
    /// </summary>
    public Activation Activation { get; set; }

    /// <summary>Identity when the shapes match and a projection otherwise (default), always identity, or always a projection.</summary>
    public Shortcut Shortcut { get; set; }

    /// <summary>Residual-aware initialization of the branch (zero-γ, zero weights, Fixup); applied after the layers' own init.</summary>
    public ResidualInit BranchInit { get; set; }

    /// <summary>
    /// The dilation of the first unit's dilated convolutions (0, the default: as declared). The other units use the
    /// declared <c>Dilation</c>; the first uses this one, with its padding reduced by (dilation − this) · (kernel − 1) / 2
    /// so the map keeps its size. This is torchvision's <c>replace_stride_with_dilation</c> (Yu and Koltun 2016, as in
    /// FCN and DeepLab): a dilated stage's first unit keeps the previous stage's dilation.
    /// </summary>
    public int FirstDilation { get; set; }
}
