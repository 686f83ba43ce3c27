namespace ModelDsl.Benchmarks.Runtime;

/// <summary>examples/SequentialMnist's network, verbatim: 28 rows of 28 pixels into an LSTM of 128, its last step to 10 logits.</summary>
[Model(28, 28)]
[LSTM(128)]
[Dense(10)]
public partial class CardLstm { }
