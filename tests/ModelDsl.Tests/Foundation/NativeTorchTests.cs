using System;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Foundation;

/// <summary>Proves TorchSharp's native library runs here: forward and backward through a Linear layer.</summary>
public class NativeTorchTests
{
    [Fact]
    public void Linear_forward_and_backward_give_the_analytic_gradients()
    {
        using var scope = NewDisposeScope();
        TorchNative.EnsureLoaded();
        var linear = nn.Linear(3, 2);
        using (no_grad())
        {
            linear.weight!.copy_(tensor(new float[] { 1, 2, 3, 4, 5, 6 }).reshape(2, 3));
            linear.bias!.copy_(tensor(new float[] { 0.5f, -0.5f }));
        }
        Tensor x = tensor(new float[] { 1, 1, 1, 2, 0, -1 }).reshape(2, 3);

        Tensor y = linear.forward(x);
        Assert.Equal(new float[] { 6.5f, 14.5f, -0.5f, 1.5f }, y.data<float>().ToArray());

        y.sum().backward();
        // d(sum y)/dW[j, k] = Σ_batch x[b, k]; d/db[j] = batch size
        Assert.Equal(new float[] { 3, 1, 0, 3, 1, 0 }, linear.weight!.grad!.data<float>().ToArray());
        Assert.Equal(new float[] { 2, 2 }, linear.bias!.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Loader_errors_are_explained_with_the_fix()
    {
        string message = TorchNative.Explain("System.DllNotFoundException: libLibTorchSharp.so: version `GLIBCXX_3.4.32' not found");
        Assert.Contains("GLIBCXX_3.4.32", message);
        Assert.Contains("Debian 12", message);
        Assert.Contains("weak", message);

        string other = TorchNative.Explain("System.DllNotFoundException: libtorch_cpu.so: cannot open shared object file");
        Assert.Contains("TorchSharp-cpu", other);
    }
}
