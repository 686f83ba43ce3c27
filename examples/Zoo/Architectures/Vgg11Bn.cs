using ModelDsl;
using TorchSharp.Modules;

namespace Zoo;

/// <summary>
/// torchvision's <c>vgg11_bn</c> (Simonyan and Zisserman 2015, configuration A with batch norm): eight 3×3 convolutions
/// in five stages with max pooling, adaptive average pooling to 7×7 and three fully connected layers with dropout.
/// The layers carry torchvision's indices as names, so the keys are its own.
/// </summary>
[Model(3, 224, 224)]
public partial class Vgg11Bn
{
    [Conv2d(64, 3, Padding = 1, Name = "0"), BatchNorm(Name = "1"), ReLU(Name = "2"), MaxPool2d(2, Name = "3"),
     Conv2d(128, 3, Padding = 1, Name = "4"), BatchNorm(Name = "5"), ReLU(Name = "6"), MaxPool2d(2, Name = "7"),
     Conv2d(256, 3, Padding = 1, Name = "8"), BatchNorm(Name = "9"), ReLU(Name = "10"),
     Conv2d(256, 3, Padding = 1, Name = "11"), BatchNorm(Name = "12"), ReLU(Name = "13"), MaxPool2d(2, Name = "14"),
     Conv2d(512, 3, Padding = 1, Name = "15"), BatchNorm(Name = "16"), ReLU(Name = "17"),
     Conv2d(512, 3, Padding = 1, Name = "18"), BatchNorm(Name = "19"), ReLU(Name = "20"), MaxPool2d(2, Name = "21"),
     Conv2d(512, 3, Padding = 1, Name = "22"), BatchNorm(Name = "23"), ReLU(Name = "24"),
     Conv2d(512, 3, Padding = 1, Name = "25"), BatchNorm(Name = "26"), ReLU(Name = "27"), MaxPool2d(2, Name = "28")]
    public partial Sequential Features { get; }

    [AdaptiveAvgPool2d(7)] public partial Sequential Avgpool { get; }

    [Flatten, Dense(4096, Name = "0"), ReLU(Name = "1"), Dropout(0.5, Name = "2"), Dense(4096, Name = "3"), ReLU(Name = "4"), Dropout(0.5, Name = "5"), Dense(1000, Name = "6")]
    public partial Sequential Classifier { get; }
}
