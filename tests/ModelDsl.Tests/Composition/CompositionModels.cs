using ModelDsl;
using TorchSharp.Modules;
using static ModelDsl.Init;

namespace ModelDsl.Tests.Composition;

// One generated model per block kind, each put inside other modules by ComponentRegistrationTests.

/// <summary>Issue 23 §2 as reported: a partial-property block (backing field _head, child "head") in a loop ensemble.</summary>
[Model(4)]
[Ensemble(2, Seed = 1)]
public partial class BlockMlp
{
    [Dense(3)]
    public partial Sequential Head { get; }
}

/// <summary>Class-level layers only, one with running-statistics buffers.</summary>
[Model(4)]
[Dense(6, Activation = Activation.ReLU), BatchNorm]
[Dense(3)]
public partial class ComposedPlain { }

/// <summary>Every way to declare a named block: a partial property, a field named like its child, fields named otherwise.</summary>
[Model(4)]
public partial class ComposedBlocks
{
    [Dense(6, Init = He), ReLU]
    public partial Sequential Hidden { get; }

    [Dense(5), BatchNorm]
    private Sequential _body = null!;

    [Dense(4), Tanh]
    public Sequential Middle = null!;

    [Dense(3)]
    private Sequential tail = null!;
}

/// <summary>Residual units with a projection shortcut and an activation after the sum, and one without either.</summary>
[Model(5)]
[Ensemble(2, Seed = 2)]
public partial class ComposedResidual
{
    [Residual(Activation = Activation.ReLU)]
    [Dense(7, Init = He), ReLU, Dense(7)]
    public partial Sequential Stage { get; }

    [Residual]
    [LayerNorm, Dense(7)]
    public partial Sequential Refine { get; }

    [Dense(2)]
    public partial Sequential Head { get; }
}

/// <summary>Token input: embedding and positional encoding, then a masked encoder block and a head block.</summary>
[Model(6)]
[Embedding(20, 8, PaddingIndex = 0), PositionalEncoding]
public partial class ComposedTokens
{
    [TransformerEncoder(2, 16, Dropout = 0), GlobalAvgPool1d]
    public partial Sequential Body { get; }

    [Dense(2)]
    public partial Sequential Head { get; }
}

/// <summary>Sequences: a convolution over time, recurrent layers and pooling.</summary>
[Model(7, 3)]
[Conv1d(4, 3, Padding = 1), MaxPool1d(2)]
[LSTM(5, ReturnSequences = true), LayerNorm]
public partial class ComposedRecurrent
{
    [GRU(4)]
    public partial Sequential Reader { get; }

    [Dense(2)]
    public partial Sequential Head { get; }
}

/// <summary>A vectorized ensemble: the members run as one stacked module.</summary>
[Model(4)]
[Dense(6, Activation = Activation.ReLU), LayerNorm]
[Dense(3)]
[Ensemble(3, Seed = 3, Vectorized = true, Aggregation = Aggregation.WeightedMean)]
public partial class ComposedVectorized { }
