using ModelDsl;
using static ModelDsl.Activation;
using static ModelDsl.Init;

namespace Experiments.Models;

// 5.1: ten 1,000-wide dense layers, the same init and activation in each, one class per (init, activation) cell,
// because attribute arguments are constants. Inits: zeros, constant 0.1, N(0, 0.01²), N(0, 1), Xavier (gain 1) and He.
// InitStd is the standard deviation. The chapter writes N(0, 0.01) and calls 0.01 the variance, but the vanishing it
// describes is the std-0.01 case (variance 10⁻⁴, per-layer gain 0.01·√1000 ≈ 0.32); variance 0.01 (std 0.1) has gain
// 0.1·√1000 ≈ 3.2 at this width and saturates tanh instead. docs/experiments.md says so.
// The advice warnings these cells trigger (MD0010 constant init, MD0011 He before tanh/sigmoid, MD0012 Xavier before
// ReLU) are the point of the experiment and are silenced for this file in examples/.editorconfig.

[Model(InitNets.Width)]
[Dense(InitNets.Width, Init = Zeros, Activation = Tanh), Dense(InitNets.Width, Init = Zeros, Activation = Tanh), Dense(InitNets.Width, Init = Zeros, Activation = Tanh), Dense(InitNets.Width, Init = Zeros, Activation = Tanh), Dense(InitNets.Width, Init = Zeros, Activation = Tanh)]
[Dense(InitNets.Width, Init = Zeros, Activation = Tanh), Dense(InitNets.Width, Init = Zeros, Activation = Tanh), Dense(InitNets.Width, Init = Zeros, Activation = Tanh), Dense(InitNets.Width, Init = Zeros, Activation = Tanh), Dense(InitNets.Width, Init = Zeros, Activation = Tanh)]
public partial class ZerosTanhNet { }

[Model(InitNets.Width)]
[Dense(InitNets.Width, Init = Zeros, Activation = Sigmoid), Dense(InitNets.Width, Init = Zeros, Activation = Sigmoid), Dense(InitNets.Width, Init = Zeros, Activation = Sigmoid), Dense(InitNets.Width, Init = Zeros, Activation = Sigmoid), Dense(InitNets.Width, Init = Zeros, Activation = Sigmoid)]
[Dense(InitNets.Width, Init = Zeros, Activation = Sigmoid), Dense(InitNets.Width, Init = Zeros, Activation = Sigmoid), Dense(InitNets.Width, Init = Zeros, Activation = Sigmoid), Dense(InitNets.Width, Init = Zeros, Activation = Sigmoid), Dense(InitNets.Width, Init = Zeros, Activation = Sigmoid)]
public partial class ZerosSigmoidNet { }

[Model(InitNets.Width)]
[Dense(InitNets.Width, Init = Zeros, Activation = ReLU), Dense(InitNets.Width, Init = Zeros, Activation = ReLU), Dense(InitNets.Width, Init = Zeros, Activation = ReLU), Dense(InitNets.Width, Init = Zeros, Activation = ReLU), Dense(InitNets.Width, Init = Zeros, Activation = ReLU)]
[Dense(InitNets.Width, Init = Zeros, Activation = ReLU), Dense(InitNets.Width, Init = Zeros, Activation = ReLU), Dense(InitNets.Width, Init = Zeros, Activation = ReLU), Dense(InitNets.Width, Init = Zeros, Activation = ReLU), Dense(InitNets.Width, Init = Zeros, Activation = ReLU)]
public partial class ZerosReLUNet { }

[Model(InitNets.Width)]
[Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Tanh), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Tanh), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Tanh), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Tanh), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Tanh)]
[Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Tanh), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Tanh), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Tanh), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Tanh), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Tanh)]
public partial class ConstantTanhNet { }

[Model(InitNets.Width)]
[Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Sigmoid), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Sigmoid), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Sigmoid), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Sigmoid), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Sigmoid)]
[Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Sigmoid), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Sigmoid), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Sigmoid), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Sigmoid), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = Sigmoid)]
public partial class ConstantSigmoidNet { }

[Model(InitNets.Width)]
[Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = ReLU), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = ReLU), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = ReLU), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = ReLU), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = ReLU)]
[Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = ReLU), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = ReLU), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = ReLU), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = ReLU), Dense(InitNets.Width, Init = Constant, InitValue = 0.1, Activation = ReLU)]
public partial class ConstantReLUNet { }

[Model(InitNets.Width)]
[Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Tanh), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Tanh), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Tanh), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Tanh), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Tanh)]
[Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Tanh), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Tanh), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Tanh), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Tanh), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Tanh)]
public partial class SmallNormalTanhNet { }

[Model(InitNets.Width)]
[Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Sigmoid), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Sigmoid), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Sigmoid), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Sigmoid), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Sigmoid)]
[Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Sigmoid), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Sigmoid), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Sigmoid), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Sigmoid), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = Sigmoid)]
public partial class SmallNormalSigmoidNet { }

[Model(InitNets.Width)]
[Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = ReLU), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = ReLU), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = ReLU), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = ReLU), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = ReLU)]
[Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = ReLU), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = ReLU), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = ReLU), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = ReLU), Dense(InitNets.Width, Init = Normal, InitStd = 0.01, Activation = ReLU)]
public partial class SmallNormalReLUNet { }

[Model(InitNets.Width)]
[Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Tanh), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Tanh), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Tanh), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Tanh), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Tanh)]
[Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Tanh), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Tanh), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Tanh), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Tanh), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Tanh)]
public partial class UnitNormalTanhNet { }

[Model(InitNets.Width)]
[Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Sigmoid), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Sigmoid), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Sigmoid), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Sigmoid), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Sigmoid)]
[Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Sigmoid), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Sigmoid), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Sigmoid), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Sigmoid), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = Sigmoid)]
public partial class UnitNormalSigmoidNet { }

[Model(InitNets.Width)]
[Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = ReLU), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = ReLU), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = ReLU), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = ReLU), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = ReLU)]
[Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = ReLU), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = ReLU), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = ReLU), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = ReLU), Dense(InitNets.Width, Init = Normal, InitStd = 1.0, Activation = ReLU)]
public partial class UnitNormalReLUNet { }

[Model(InitNets.Width)]
[Dense(InitNets.Width, Init = Xavier, Activation = Tanh), Dense(InitNets.Width, Init = Xavier, Activation = Tanh), Dense(InitNets.Width, Init = Xavier, Activation = Tanh), Dense(InitNets.Width, Init = Xavier, Activation = Tanh), Dense(InitNets.Width, Init = Xavier, Activation = Tanh)]
[Dense(InitNets.Width, Init = Xavier, Activation = Tanh), Dense(InitNets.Width, Init = Xavier, Activation = Tanh), Dense(InitNets.Width, Init = Xavier, Activation = Tanh), Dense(InitNets.Width, Init = Xavier, Activation = Tanh), Dense(InitNets.Width, Init = Xavier, Activation = Tanh)]
public partial class XavierTanhNet { }

[Model(InitNets.Width)]
[Dense(InitNets.Width, Init = Xavier, Activation = Sigmoid), Dense(InitNets.Width, Init = Xavier, Activation = Sigmoid), Dense(InitNets.Width, Init = Xavier, Activation = Sigmoid), Dense(InitNets.Width, Init = Xavier, Activation = Sigmoid), Dense(InitNets.Width, Init = Xavier, Activation = Sigmoid)]
[Dense(InitNets.Width, Init = Xavier, Activation = Sigmoid), Dense(InitNets.Width, Init = Xavier, Activation = Sigmoid), Dense(InitNets.Width, Init = Xavier, Activation = Sigmoid), Dense(InitNets.Width, Init = Xavier, Activation = Sigmoid), Dense(InitNets.Width, Init = Xavier, Activation = Sigmoid)]
public partial class XavierSigmoidNet { }

[Model(InitNets.Width)]
[Dense(InitNets.Width, Init = Xavier, Activation = ReLU), Dense(InitNets.Width, Init = Xavier, Activation = ReLU), Dense(InitNets.Width, Init = Xavier, Activation = ReLU), Dense(InitNets.Width, Init = Xavier, Activation = ReLU), Dense(InitNets.Width, Init = Xavier, Activation = ReLU)]
[Dense(InitNets.Width, Init = Xavier, Activation = ReLU), Dense(InitNets.Width, Init = Xavier, Activation = ReLU), Dense(InitNets.Width, Init = Xavier, Activation = ReLU), Dense(InitNets.Width, Init = Xavier, Activation = ReLU), Dense(InitNets.Width, Init = Xavier, Activation = ReLU)]
public partial class XavierReLUNet { }

[Model(InitNets.Width)]
[Dense(InitNets.Width, Init = He, Activation = Tanh), Dense(InitNets.Width, Init = He, Activation = Tanh), Dense(InitNets.Width, Init = He, Activation = Tanh), Dense(InitNets.Width, Init = He, Activation = Tanh), Dense(InitNets.Width, Init = He, Activation = Tanh)]
[Dense(InitNets.Width, Init = He, Activation = Tanh), Dense(InitNets.Width, Init = He, Activation = Tanh), Dense(InitNets.Width, Init = He, Activation = Tanh), Dense(InitNets.Width, Init = He, Activation = Tanh), Dense(InitNets.Width, Init = He, Activation = Tanh)]
public partial class HeTanhNet { }

[Model(InitNets.Width)]
[Dense(InitNets.Width, Init = He, Activation = Sigmoid), Dense(InitNets.Width, Init = He, Activation = Sigmoid), Dense(InitNets.Width, Init = He, Activation = Sigmoid), Dense(InitNets.Width, Init = He, Activation = Sigmoid), Dense(InitNets.Width, Init = He, Activation = Sigmoid)]
[Dense(InitNets.Width, Init = He, Activation = Sigmoid), Dense(InitNets.Width, Init = He, Activation = Sigmoid), Dense(InitNets.Width, Init = He, Activation = Sigmoid), Dense(InitNets.Width, Init = He, Activation = Sigmoid), Dense(InitNets.Width, Init = He, Activation = Sigmoid)]
public partial class HeSigmoidNet { }

[Model(InitNets.Width)]
[Dense(InitNets.Width, Init = He, Activation = ReLU), Dense(InitNets.Width, Init = He, Activation = ReLU), Dense(InitNets.Width, Init = He, Activation = ReLU), Dense(InitNets.Width, Init = He, Activation = ReLU), Dense(InitNets.Width, Init = He, Activation = ReLU)]
[Dense(InitNets.Width, Init = He, Activation = ReLU), Dense(InitNets.Width, Init = He, Activation = ReLU), Dense(InitNets.Width, Init = He, Activation = ReLU), Dense(InitNets.Width, Init = He, Activation = ReLU), Dense(InitNets.Width, Init = He, Activation = ReLU)]
public partial class HeReLUNet { }

/// <summary>The width every init cell uses (1,000 as in the chapter; the forward of a 1,000-sample batch is 10 GFLOP).</summary>
public static class InitNets
{
    /// <summary>Units per layer and input features.</summary>
    public const int Width = 1000;
}
