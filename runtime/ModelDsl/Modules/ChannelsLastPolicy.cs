namespace ModelDsl;

/// <summary>When <see cref="ChannelsLast.From"/> switches a generated CNN's activations to channels-last (NHWC) strides.</summary>
public enum ChannelsLastPolicy
{
    /// <summary>
    /// The default: while libtorch runs convolutions with oneDNN (<see cref="LibTorchBackends.OneDnnEnabled"/>), which
    /// reads NHWC without layout conversions; without oneDNN, for a model with no grouped convolution where oneMKL runs a
    /// CPU-specific code path (<see cref="MklCodePath.ChosenPath"/> above 0), where libtorch's own convolutions ran faster
    /// on NHWC (the MNIST CNN's training step 0.79×, ResNetMnist's 0.61×, on one Zen 5 core) and grouped ones slower (a
    /// depthwise MobileNetV2 3.2×). See <see cref="ChannelsLast.RunsChannelsLast"/>.
    /// </summary>
    Auto,

    /// <summary>
    /// Only while libtorch runs convolutions with oneDNN (<see cref="LibTorchBackends.OneDnnEnabled"/>): without it a
    /// depthwise MobileNetV2 ran 3.2× and, with oneMKL on its generic path, a ResNet-18 1.2× slower than in NCHW on one
    /// thread (docs/speed.md).
    /// </summary>
    WithOneDnn,

    /// <summary>Always switch (where the activation is an image of more than one channel).</summary>
    Always,

    /// <summary>Never switch: every activation stays NCHW.</summary>
    Never,
}
