using ModelDsl;
using static ModelDsl.Init;

namespace ModelDsl.Tests.Models;

/// <summary>A small classifier with batch norm and dropout, so reproducibility covers buffers and dropout masks.</summary>
[Model(8)]
[Dense(16, Init = He, Activation = Activation.ReLU), BatchNorm, Dropout(0.2)]
[Dense(3)]
public partial class TrainingClassifier { }

/// <summary>The same stack with a wider hidden layer: loading TrainingClassifier's checkpoint into it must fail.</summary>
[Model(8)]
[Dense(32, Init = He, Activation = Activation.ReLU), BatchNorm, Dropout(0.2)]
[Dense(3)]
public partial class WiderClassifier { }

/// <summary>Far more parameters (≈19k) than the 32 samples it is trained on: it memorizes and overfits.</summary>
[Model(20)]
[Dense(128, Init = He, Activation = Activation.ReLU)]
[Dense(128, Init = He, Activation = Activation.ReLU)]
[Dense(2)]
public partial class OverfittingNet { }

/// <summary>A small MLP for 28×28 digits flattened to 784.</summary>
[Model(784)]
[Dense(64, Init = He, Activation = Activation.ReLU)]
[Dense(10)]
public partial class DigitsMlp { }

/// <summary>A tiny CNN with dropout on 8×8 images, for training with image augmentation.</summary>
[Model(1, 8, 8)]
[Conv2d(4, 3, Padding = 1, Init = He, Activation = Activation.ReLU), MaxPool2d(2), Flatten, Dropout(0.3)]
[Dense(3)]
public partial class TinyImageClassifier { }
