using ModelDsl;

namespace SequentialMnist;

/// <summary>
/// Each MNIST image read as a sequence: 28 steps (the rows, top to bottom) of 28 features (the pixels of a row), an LSTM
/// of 128 units, and a linear read-out of its last step to 10 logits. The LSTM starts with the recurrent defaults
/// (orthogonal recurrent gate blocks, Glorot input weights, forget-gate bias 1), which let a gradient reach the first rows
/// through 28 steps.
/// </summary>
[Model(28, 28)]
[LSTM(128)]
[Dense(10)]
public partial class SequenceClassifier { }
