using System;
using ConsumerSmoke;
using static TorchSharp.torch;

// Prints lines ConsumerSmokeTests asserts on: the summary's total and the forward pass's output shape.
using var scope = NewDisposeScope();
var model = new Mlp(seed: 42);
Console.WriteLine(model.Summary());
model.eval();
Tensor logits = model.forward(randn(4, 784));
Console.WriteLine($"forward: [{string.Join(", ", logits.shape)}]");
Console.WriteLine($"finite: {logits.isfinite().all().item<bool>()}");
