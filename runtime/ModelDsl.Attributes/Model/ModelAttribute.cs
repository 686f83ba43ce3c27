using System;

namespace ModelDsl;

/// <summary>
/// Marks a <c>partial</c> class as a ModelDsl model and gives its input shape without the batch dimension:
/// <c>[Model(784)]</c> for vectors, <c>[Model(1, 28, 28)]</c> for images (channels, height, width).
/// Layer attributes on the class form one sequential stack in source order.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ModelAttribute : Attribute
{
    /// <summary>Declares the input shape.</summary>
    public ModelAttribute(params int[] inputShape) => InputShape = inputShape;

    /// <summary>The input shape without the batch dimension.</summary>
    public int[] InputShape { get; }

    /// <summary>
    /// For a token model (first layer <c>[Embedding]</c>) instead of a shape: the longest sequence it reads, T (nanoGPT's
    /// <c>block_size</c>). The input is Int64 token ids [B, t] with 1 ≤ t ≤ T, positions are the first t rows of the
    /// positional table, and a longer input is an error naming T. Every layer must work on any length (per-step layers,
    /// positional encoding, attention; MD0068 otherwise). With a causal <c>[TransformerEncoder]</c> and logits per step
    /// the model also gets <c>Generate</c> (autoregressive sampling with a key/value cache). <c>[Model(Context = 256)]</c>.
    /// </summary>
    public int Context { get; set; }

    /// <summary>
    /// A <c>.safetensors</c> file whose tensors this model must load strictly, checked at compile time: the build must be
    /// given the file as an AdditionalFile (<c>&lt;AdditionalFiles Include="weights/mnist.safetensors" /&gt;</c>), named
    /// here by its file name or its path's end (<c>WeightsFile = "mnist.safetensors"</c>). Every tensor the declaration
    /// has that the file lacks, every tensor the file has that the declaration lacks, and every other shape is an error
    /// at this argument (MD0102–MD0104), another dtype a warning (MD0105). Only the header is read; nothing is loaded.
    /// </summary>
    public string? WeightsFile { get; set; }
}
