using System;
using System.Linq;
using MnistCnnExample;
using static TorchSharp.torch;

// Forward-pass check of the generated CNN on a random batch shaped like MNIST. Training on MNIST is wired in after
// the trainer, loader and augmentation land (see README.md).
using var scope = NewDisposeScope();
var model = new MnistCnn(seed: 42);
Console.WriteLine(model.Summary());

Tensor images = rand(8, 1, 28, 28);
model.train();
Tensor trainLogits = model.forward(images);
model.eval();
Tensor evalLogits;
using (no_grad()) evalLogits = model.forward(images);

long parameters = model.parameters().Sum(p => p.numel());
Console.WriteLine($"parameters: {parameters:N0}");
Console.WriteLine($"forward (train): [{string.Join(", ", trainLogits.shape)}], finite: {trainLogits.isfinite().all().item<bool>()}");
Console.WriteLine($"forward (eval):  [{string.Join(", ", evalLogits.shape)}], finite: {evalLogits.isfinite().all().item<bool>()}");
if (!evalLogits.shape.SequenceEqual(new long[] { 8, 10 }) || !evalLogits.isfinite().all().item<bool>())
{
    Console.Error.WriteLine("forward check failed");
    return 1;
}
return 0;
