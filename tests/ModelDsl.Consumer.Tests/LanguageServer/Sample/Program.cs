using System;
using Sample;
using static TorchSharp.torch;

using var scope = NewDisposeScope();
var model = new Mlp(seed: 42);
Console.WriteLine(model.Summary());
model.eval();
Tensor logits = model.forward(randn(4, 784));
Console.WriteLine(logits.shape[1]);
