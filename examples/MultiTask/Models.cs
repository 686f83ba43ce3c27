using ModelDsl;
using TorchSharp.Modules;
using static ModelDsl.Init;

namespace MultiTask;

/// <summary>
/// One image [1, 28, 28], two heads on a shared convolutional trunk: <c>Digit</c>, 10 logits of the digit class, and
/// <c>Ink</c>, the image's ink fraction (its mean pixel value, 0 = blank, 1 = all white ink), one number.
/// </summary>
[Model]
[Input("image", 1, 28, 28)]
public partial class DigitAndInk
{
    [From("image"), Conv2d(16, 3, Padding = Padding.Same, Bias = false, Init = He), BatchNorm, ReLU, MaxPool2d(2)]
    public partial Sequential Stage1 { get; }

    [Conv2d(32, 3, Padding = Padding.Same, Bias = false, Init = He), BatchNorm, ReLU, MaxPool2d(2)]
    public partial Sequential Stage2 { get; }

    [Flatten, Dense(64, Init = He), ReLU]
    public partial Sequential Trunk { get; }

    [Dense(10), Output]
    public partial Sequential Digit { get; }

    [From(nameof(Trunk)), Dense(1), Output]
    public partial Sequential Ink { get; }
}

/// <summary>
/// Two inputs: the image [1, 28, 28] through two convolution stages, and its ink profile [56] (the mean ink of each of
/// the 28 rows, then of each of the 28 columns) through a dense layer, concatenated into a head of 10 digit logits.
/// </summary>
[Model]
[Input("image", 1, 28, 28), Input("profile", 56)]
public partial class ImageAndProfile
{
    [From("image"), Conv2d(16, 3, Padding = Padding.Same, Bias = false, Init = He), BatchNorm, ReLU, MaxPool2d(2)]
    public partial Sequential Stage1 { get; }

    [Conv2d(32, 3, Padding = Padding.Same, Bias = false, Init = He), BatchNorm, ReLU, MaxPool2d(2), Flatten]
    public partial Sequential Stage2 { get; }

    [From("profile"), Dense(32, Init = He), ReLU]
    public partial Sequential ProfileFeatures { get; }

    [Concatenate(nameof(Stage2), nameof(ProfileFeatures)), Dense(64, Init = He), ReLU, Dense(10)]
    public partial Sequential Head { get; }
}
