using ModelDsl;

namespace ModelDsl.Tests.Models;

/// <summary>The example: a BatchNorm that a batch of one sample would fill with NaN.</summary>
[Model(8)]
[Dense(4), BatchNorm]
public partial class DenseBatchNorm { }

/// <summary>GroupNorm on flat features [B, C], which PyTorch's GroupNorm takes.</summary>
[Model(4)]
[Dense(6), GroupNorm(3)]
public partial class DenseGroupNorm { }
