using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>
/// [TransformerDecoder(heads, F, Memory = v)]: the memory it reads (an input or a block above, a sequence of its width:
/// MD0114), parameter counts, a model with a decoder is a graph whose forward passes the memory and each side's padding
/// mask, and token ids per input (an Embedding first in any block that reads an input).
/// </summary>
public class TransformerDecoderRuleTests
{
    private const string Usings = "using ModelDsl;\nusing TorchSharp.Modules;\n";

    private const string Translator = Usings + """
        [Model]
        [Input("source", 6)]
        [Input("target", 5)]
        public partial class Net
        {
            [From("source"), Embedding(11, 8, PaddingIndex = 0), PositionalEncoding, TransformerEncoder(2, 16)]
            public partial Sequential Encoder { get; }

            [From("target"), Embedding(13, 8, PaddingIndex = 1), PositionalEncoding, TransformerDecoder(2, 16, Memory = nameof(Encoder), Layers = 2), Dense(13)]
            public partial Sequential Decoder { get; }
        }
        """;

    /// <summary>The generated file of an encoder–decoder (reviewed): token inputs and masks as graph data, the forward that passes the memory.</summary>
    [Fact]
    public void Snapshot_of_an_encoder_decoder()
    {
        GeneratorResult result = GeneratorHarness.Run(Translator).AssertClean();
        foreach (var (hint, text) in result.Files) SnapshotAssert.Matches(text, "Decoder." + hint);
    }

    [Fact]
    public void An_encoder_decoder_reads_two_token_inputs_each_with_its_padding_mask()
    {
        string code = GeneratorHarness.Run(Translator).AssertClean().Single();
        Assert.Contains("global::ModelDsl.ShapeGuard.RequireTokensOf(source, inputShapes[0], \"Net (input 'source')\");", code);
        Assert.Contains("global::ModelDsl.ShapeGuard.RequireTokensOf(target, inputShapes[1], \"Net (input 'target')\");", code);
        Assert.Contains("global::TorchSharp.torch.Tensor sourcePaddingMask = source.eq(0L);", code);
        Assert.Contains("global::TorchSharp.torch.Tensor targetPaddingMask = target.eq(1L);", code);
        Assert.Contains("decoder = ((global::ModelDsl.ICrossAttentionLayer)_decoder[2]).forward(decoder, encoder, targetPaddingMask, sourcePaddingMask);", code);
        Assert.Contains("decoderDecoder = new global::ModelDsl.TransformerDecoder(8, 2, 16, count: 2, dropout: 0.1, activation: global::ModelDsl.Activation.ReLU, normFirst: true, generator: generator, dtype: dtype);", code);
        Assert.Contains("new(\"source\", new long[] { 6 }) { Vocabulary = 11, PaddingIndex = 0 }", code);
        Assert.Contains("Memories = new global::ModelDsl.GraphMemoryRead[] { new(\"decoder\", \"encoder\", \"source\") }", code);
        // Per layer 8·8² + 2·8·16 + 15·8 + 16 = 904; two layers and a final norm (16): 1,824.
        Assert.Matches(@"decoder\.decoder: TransformerDecoder\(2 heads, 2 layers, memory Encoder\) +\[B, 5, 8\] +1,824 ", code);
        Assert.Contains("input source: token ids (Int64)", code);
    }

    [Fact]
    public void A_memory_declared_after_the_decoder_is_MD0114_at_Memory()
        => SingleError.AssertAt(Usings + """
            [Model]
            [Input("image", 16)]
            [Input("caption", 5)]
            public partial class Net
            {
                [From("image"), Dense(24)] public partial Sequential Features { get; }
                [From("caption"), Embedding(30, 8), TransformerDecoder(2, 16, [|Memory = nameof(Memory)|]), Output] public partial Sequential Words { get; }
                [From(nameof(Features)), Dense(8), Output] public partial Sequential Memory { get; }
            }
            """, "MD0114", "Memory = \"Memory\" names no input or block declared above this layer's block; it can name 'image', 'caption', 'Features'");

    [Fact]
    public void A_memory_without_padding_steps_passes_null_and_a_float_input_is_guarded_as_floats()
    {
        string generated = GeneratorHarness.Run(Usings + """
            [Model]
            [Input("image", 3, 4)]
            [Input("caption", 5)]
            public partial class Net
            {
                [From("image"), Dense(8)] public partial Sequential Memory { get; }
                [From("caption"), Embedding(30, 8, PaddingIndex = 0), TransformerDecoder(2, 16, Memory = nameof(Memory)), Dense(30)] public partial Sequential Words { get; }
            }
            """).AssertClean().Single();
        Assert.Contains("global::ModelDsl.ShapeGuard.RequireBatchOf(image, inputShapes[0], \"Net (input 'image')\", this);", generated);
        Assert.Contains("global::ModelDsl.ShapeGuard.RequireTokensOf(caption, inputShapes[1], \"Net (input 'caption')\");", generated);
        Assert.Contains("words = ((global::ModelDsl.ICrossAttentionLayer)_words[1]).forward(words, memory, captionPaddingMask, null);", generated);
        Assert.DoesNotContain("imagePaddingMask", generated);
    }

    [Fact]
    public void The_memory_counts_as_read_so_the_encoder_reaches_an_output()
        => Assert.DoesNotContain(GeneratorHarness.Run(Translator).Diagnostics, d => d.Id == "MD0094");

    [Theory]
    [InlineData("[Model(5, 8)] [[|TransformerDecoder(2, 16)|]] public partial class Net { }", "it needs the encoder's output it attends over")]
    [InlineData("[Model(5, 8)] [TransformerDecoder(2, 16, [|Memory = \"Encoder\"|])] public partial class Net { }", "Memory = \"Encoder\" names no input or block declared above this layer's block; it can name 'input'")]
    [InlineData("[Model(5, 8)] public partial class Net { [[|Residual|], TransformerDecoder(2, 16, Memory = \"input\")] public partial Sequential Block { get; } }", "")]
    [InlineData("[Model(5, 8)] [Dense(4), TransformerDecoder(2, 16, [|Memory = \"input\"|])] public partial class Net { }", "Memory = \"input\" is [B, 5, 8], and cross-attention reads a sequence [S, 4] of the decoder's width")]
    public void A_memory_it_cannot_read_is_MD0114(string declaration, string message)
    {
        if (message.Length == 0)
        {
            // In a residual branch a layer sees only the branch's input: the error names that, at the decoder.
            Assert.Contains(GeneratorHarness.Run(Usings + declaration.Replace("[|", "").Replace("|]", "")).Diagnostics,
                d => d.Id == "MD0114" && d.GetMessage().Contains("inside a residual unit or a template use a layer sees only its own input"));
            return;
        }
        SingleError.AssertAt(Usings + declaration, "MD0114", message);
    }

    [Theory]
    [InlineData("[Model(5, 6)] [[|TransformerDecoder(4, 16, Memory = \"input\")|]] public partial class Net { }", "MD0061", "4 heads must divide the width 6")]
    [InlineData("[Model(5, 8)] [[|TransformerDecoder(2, 16, Memory = \"input\", Activation = Activation.Tanh)|]] public partial class Net { }", "MD0061", "ReLU or GELU, not Tanh")]
    [InlineData("[Model(8)] [[|TransformerDecoder(2, 16, Memory = \"input\")|]] public partial class Net { }", "MD0060", "[B, 8]")]
    public void Sizes_that_do_not_fit_are_the_encoders_diagnostics(string declaration, string id, string message)
        => SingleError.AssertAt(Usings + declaration, id, message);

    [Fact]
    public void An_embedding_first_on_a_block_that_reads_a_block_is_MD0063_naming_what_it_reads()
        => SingleError.AssertAt(Usings + """
            [Model]
            [Input("source", 6)]
            [Input("target", 5)]
            public partial class Net
            {
                [From("source"), Embedding(11, 8)] public partial Sequential Encoder { get; }
                [From(nameof(Encoder)), [|Embedding(11, 8)|]] public partial Sequential Again { get; }
                [From("target"), Embedding(13, 8), TransformerDecoder(2, 16, Memory = nameof(Again))] public partial Sequential Decoder { get; }
            }
            """, "MD0063", "comes after [Embedding]");

    [Fact]
    public void Two_embeddings_of_one_input_with_different_padding_ids_are_MD0097()
        => SingleError.AssertAt(Usings + """
            [Model]
            [Input("tokens", 6)]
            [Input("other", 6)]
            public partial class Net
            {
                [From("tokens"), Embedding(11, 8, PaddingIndex = 0)] public partial Sequential A { get; }
                [From("tokens"), [|Embedding(11, 8, PaddingIndex = 1)|]] public partial Sequential B { get; }
                [From("other"), Embedding(11, 8), TransformerDecoder(2, 16, Memory = nameof(A))] public partial Sequential C { get; }
                [Concatenate(nameof(B), nameof(C))] public partial Sequential D { get; }
            }
            """, "MD0097", "two Embeddings read the input 'tokens' with different padding ids (0 and 1)");
}
