using ModelDsl;
using static ModelDsl.Init;

namespace ModelDsl.Tests.Models;

/// <summary>Every convolutional layer and option in one stack, on a non-square input (20 × 18).</summary>
[Model(1, 20, 18)]
[Conv2d(4, 3, Padding = 1, Init = He), BatchNorm, ReLU, MaxPool2d(2)]
[Conv2d(8, 3, Stride = 2, Dilation = 2, Bias = false, Init = HeUniform), GroupNorm(2), ReLU]
[AvgPool2d(2, Stride = 1), InstanceNorm(Affine = true), Dropout2d(0.2), Flatten, Dense(5)]
public partial class SmallCnn { }

/// <summary>Same padding with an even, dilated kernel; layer norm over [C, H, W]; global pooling into a head.</summary>
[Model(3, 9, 11)]
[Conv2d(6, 4, Padding = Padding.Same, Dilation = 2, Activation = Activation.ReLU), LayerNorm, GlobalAvgPool, Dense(3)]
public partial class SameCnn { }

/// <summary>A wide convolution whose He init can be measured: 64·16·3·3 = 9,216 weights.</summary>
[Model(16, 8, 8)]
[Conv2d(64, 3, Init = He), ReLU, Flatten, Dense(1)]
public partial class HeConv { }

/// <summary>The same layer with He uniform: bound √3·std.</summary>
[Model(16, 8, 8)]
[Conv2d(64, 3, Init = HeUniform), ReLU, Flatten, Dense(1)]
public partial class HeUniformConv { }

/// <summary>Single-norm models on images [B, 6, 5, 7] for the normalization semantics tests.</summary>
[Model(6, 5, 7)]
[BatchNorm]
public partial class BatchNormImage { }

[Model(6, 5, 7)]
[InstanceNorm(Affine = true)]
public partial class InstanceNormImage { }

[Model(6, 5, 7)]
[InstanceNorm(TrackRunningStats = true, Momentum = 1)]
public partial class TrackedInstanceNormImage { }

[Model(6, 5, 7)]
[GroupNorm(3)]
public partial class GroupNormImage { }

[Model(6, 5, 7)]
[LayerNorm]
public partial class LayerNormImage { }

[Model(16, 5, 5)]
[Dropout2d(Keep = 0.5)]
public partial class ChannelDropout { }

/// <summary>A fully convolutional model: its image output goes back with NCHW strides after running channels-last.</summary>
[Model(3, 8, 8)]
[Conv2d(6, 3, Padding = 1), ReLU, MaxPool2d(2), Conv2d(4, 1)]
public partial class ImageToImage { }

/// <summary>
/// A ReLU after batch norm (in place) and a ReLU6 after a convolution, each right before a max pool, which the forward
/// runs first: a 2×2 pool and a padded 3×3 ceil-mode one with overlapping windows.
/// </summary>
[Model(3, 13, 13)]
[Conv2d(8, 3, Padding = 1), BatchNorm, ReLU, MaxPool2d(2)]
[Conv2d(8, 3, Padding = 1), ReLU6, MaxPool2d(3, Stride = 2, Padding = 1, CeilMode = true)]
[Flatten, Dense(4)]
public partial class PooledRectifierCnn { }
