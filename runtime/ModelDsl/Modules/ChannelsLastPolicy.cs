namespace ModelDsl;

/// <summary>When <see cref="ChannelsLast.From"/> switches a generated CNN's activations to channels-last (NHWC) strides.</summary>
public enum ChannelsLastPolicy
{
    /// <summary>
    /// While libtorch runs convolutions with oneDNN (<see cref="LibTorchBackends.OneDnnEnabled"/>), which reads NHWC without
    /// layout conversions. Without oneDNN libtorch's own kernels are slower on NHWC: a depthwise MobileNetV2 ran 3.2× and
    /// a ResNet-18 1.2× slower than in NCHW on one thread (docs/speed.md).
    /// </summary>
    WithOneDnn,

    /// <summary>Always switch (where the activation is an image of more than one channel).</summary>
    Always,

    /// <summary>Never switch: every activation stays NCHW.</summary>
    Never,
}
