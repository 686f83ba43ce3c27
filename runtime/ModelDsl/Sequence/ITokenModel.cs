using System.Collections.Generic;

namespace ModelDsl;

/// <summary>
/// A generated model whose first layer is <c>[Embedding]</c>: its input is Int64 token ids <c>[B, T]</c> in
/// [0, <see cref="Vocabulary"/>), not floats. ONNX export and the probes that check a model read this to build valid
/// token batches and the padding mask. A graph model with several inputs implements it when an <c>[Embedding]</c> reads
/// one of them: <see cref="Vocabulary"/> and <see cref="PaddingIndex"/> are then the last declared Embedding's (a
/// decoder's, whose vocabulary the logits cover), and <see cref="IGraphBlock.Graph"/>'s inputs give each input's.
/// </summary>
public interface ITokenModel : IGeneratedModel
{
    /// <summary>V: token ids run from 0 to V − 1.</summary>
    long Vocabulary { get; }

    /// <summary>The padding token id, whose steps are masked; null when the model has none.</summary>
    long? PaddingIndex { get; }

    /// <summary>
    /// The layers (state_dict paths) the generated forward passes the padding mask to, in order: the
    /// <see cref="IPaddingMaskedLayer"/>s while the steps are still the tokens'. Empty without a padding id.
    /// </summary>
    IReadOnlyList<string> PaddingMaskedLayers { get; }
}
