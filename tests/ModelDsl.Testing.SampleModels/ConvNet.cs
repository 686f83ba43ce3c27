using ModelDsl;
using static ModelDsl.Init;

namespace ModelDsl.Testing.SampleModels;

/// <summary>A small convolutional model declared in its own project, the way an application declares its models.</summary>
[Model(1, 28, 28)]
[Conv2d(8, 3, Padding = Padding.Same, Init = He), ReLU, MaxPool2d(2)]
[Flatten, Dense(10)]
public partial class ConvNet { }
