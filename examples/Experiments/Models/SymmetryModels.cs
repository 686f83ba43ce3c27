using ModelDsl;
using static ModelDsl.Activation;
using static ModelDsl.Init;

namespace Experiments.Models;

// 5.1.1: the same small classifier three times, differing only in the init. MD0010 (constant init keeps units
// symmetric) is what ConstantMlp and ZerosMlp demonstrate; it is silenced for this file in examples/.editorconfig.

/// <summary>Every weight 0.1, biases 0: all hidden units of a layer compute the same function.</summary>
[Model(8)]
[Dense(16, Init = Constant, InitValue = 0.1, Activation = Tanh)]
[Dense(16, Init = Constant, InitValue = 0.1, Activation = Tanh)]
[Dense(3, Init = Constant, InitValue = 0.1)]
public partial class ConstantMlp { }

/// <summary>Every weight and bias 0.</summary>
[Model(8)]
[Dense(16, Init = Zeros, Activation = Tanh)]
[Dense(16, Init = Zeros, Activation = Tanh)]
[Dense(3, Init = Zeros)]
public partial class ZerosMlp { }

/// <summary>The control: TorchSharp's default random init.</summary>
[Model(8)]
[Dense(16, Activation = Tanh)]
[Dense(16, Activation = Tanh)]
[Dense(3)]
public partial class RandomMlp { }
