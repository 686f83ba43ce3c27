using ModelDsl;
using static ModelDsl.Init;

namespace ModelDsl.Tests.Models;

// Wide square-ish layers give ~100k weights each: enough for a KS test to tell a normal from a uniform.
// The advice warnings (He before tanh, …) do not apply: each layer is alone.

[Model(400)] [Dense(300, Init = He)] public partial class HeNet { }
[Model(400)] [Dense(300, Init = He, InitMode = FanMode.FanOut), LeakyReLU(0.2)] public partial class HeFanOutLeakyNet { }
[Model(400)] [Dense(300, Init = HeUniform)] public partial class HeUniformNet { }
[Model(400)] [Dense(300, Init = Xavier)] public partial class XavierNet { }
[Model(400)] [Dense(300, Init = XavierUniform, InitGain = 2.0)] public partial class XavierUniformNet { }
[Model(400)] [Dense(300, Init = LeCun)] public partial class LeCunNet { }
[Model(400)] [Dense(300, Init = Normal, InitMean = 0.5, InitStd = 0.01)] public partial class NormalNet { }
[Model(400)] [Dense(300, Init = Uniform, InitLow = -0.2, InitHigh = 0.1)] public partial class UniformNet { }
[Model(400)] [Dense(300)] public partial class DefaultNet { }
[Model(64)] [Dense(32, Init = Orthogonal, InitGain = 1.5)] public partial class OrthogonalNet { }
// The symmetry warning MD0010 is the point of ConstantNet: suppressed for this file in tests/.editorconfig, as a user
// would (generator diagnostics are configured through .editorconfig; #pragma does not reach them).
[Model(8)] [Dense(4, Init = Constant, InitValue = 0.25, BiasInit = Constant, BiasValue = -1)] public partial class ConstantNet { }
