using static TorchSharp.torch;

namespace Experiments;

/// <summary>Seeded synthetic data sets (MNIST loading lands with the trainer, issue 5).</summary>
public static class SyntheticData
{
    /// <summary>
    /// A 4-class problem in 20 dimensions labelled by a fixed random teacher, argmax(tanh(x·A)·B): nonlinear, learnable,
    /// and the same for every model. Returns inputs [n, 20] and int64 labels [n].
    /// </summary>
    public static (Tensor X, Tensor Y) TeacherClassification(int n, long seed)
    {
        var teacher = new Generator((ulong)1234);
        Tensor a = randn(20, 32, generator: teacher);
        Tensor b = randn(32, 4, generator: teacher);
        Tensor x = randn(n, 20, generator: new Generator((ulong)seed));
        Tensor y = tanh(x.matmul(a) / 4.5).matmul(b).argmax(1);
        return (x, y);
    }

    /// <summary>
    /// 1-D regression on [−3, 3]: y = sin(x) + N(0, noise²), inputs [n, 1], targets [n, 1]; <paramref name="noise"/> 0
    /// gives the noise-free grid x evenly spaced (a test set that measures error against the true function).
    /// </summary>
    public static (Tensor X, Tensor Y) Sine(int n, double noise, long seed)
    {
        var generator = new Generator((ulong)seed);
        Tensor x = noise == 0 ? linspace(-3, 3, n).unsqueeze(1) : rand(n, 1, generator: generator) * 6 - 3;
        Tensor y = sin(x) + noise * randn(n, 1, generator: generator);
        return (x, y);
    }
}
