using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>[Embedding]: the token input, the padding mask the forward derives and passes on, parameter counts, MD0063–MD0065.</summary>
public class EmbeddingRuleTests
{
    private const string Usings = "using ModelDsl;\n";

    [Fact]
    public void A_padded_token_model_reads_int64_ids_and_masks_the_encoder_and_the_pooling()
    {
        string code = GeneratorHarness.Run(Usings + """
            [Model(12)]
            [Embedding(1000, 32, PaddingIndex = 0), PositionalEncoding, Dropout(0.1)]
            [TransformerEncoder(4, 64)]
            [GlobalAvgPool1d, Dense(2)]
            public partial class Classifier { }
            """).AssertClean().Single();
        Assert.Contains("embedding = global::TorchSharp.torch.nn.Embedding(1000, 32, padding_idx: 0, dtype: dtype);", code);
        Assert.Contains("global::ModelDsl.Initializers.Normal(embedding.weight!, mean: 0.0, std: 1.0, generator);", code);
        Assert.Contains("global::ModelDsl.Initializers.ZeroRow(embedding.weight!, 0);", code);
        Assert.Contains("global::ModelDsl.ShapeGuard.RequireTokensOf(input, inputShape, \"Classifier\");", code);
        Assert.Contains("global::TorchSharp.torch.Tensor paddingMask = input.eq(0L);", code);
        Assert.Contains("x = dropout.forward(x);", code);
        Assert.Contains("x = encoder.forward(x, paddingMask);", code);
        Assert.Contains("x = timepool.forward(x, paddingMask);", code);
        Assert.Contains("x = dense.forward(x);", code);
        Assert.Contains("global::ModelDsl.ITokenModel", code);
        Assert.Contains("public long Vocabulary => 1000;", code);
        Assert.Contains("public long? PaddingIndex => 0;", code);
        Assert.Contains("paddingMaskedLayers = { \"encoder\", \"timepool\" };", code);
        // 1000·32 = 32,000 for the table; the summary shows the token input and the table.
        Assert.Matches(@"embedding: Embedding\(1000, 32\) +\[B, 12, 32\] +32,000 +N\(0, 1\), padding row 0", code);
        Assert.Contains("Maps token ids [B, 12] (Int64) to [B, 2].", code);
        Assert.Matches(@"input: token ids \(Int64\) +\[B, 12\]", code);
    }

    [Fact]
    public void The_mask_ends_at_a_layer_that_does_not_keep_the_steps_and_is_absent_without_a_padding_id()
    {
        GeneratorResult result = GeneratorHarness.Run(Usings + """
            [Model(10)]
            [Embedding(50, 8, PaddingIndex = 3), LSTM(8, ReturnSequences = true)]
            [GlobalAvgPool1d, Dense(2)]
            public partial class Recurrent { }
            """);
        // The LSTM reads padding as data (MD0067, a warning: the model is still generated).
        Diagnostic warning = Assert.Single(result.Diagnostics);
        Assert.Equal(("MD0067", DiagnosticSeverity.Warning), (warning.Id, warning.Severity));
        Assert.Contains("LSTM(8) reads the padding steps (token id 3) as data", warning.GetMessage());
        string recurrent = result.Single();
        Assert.DoesNotContain("paddingMask", recurrent);
        Assert.Contains("x = timepool.forward(x);", recurrent);
        Assert.Contains("public long? PaddingIndex => 3;", recurrent);

        string plain = GeneratorHarness.Run(Usings + """
            [Model(10)]
            [Embedding(50, 8), TransformerEncoder(2, 16)]
            [GlobalAvgPool1d, Dense(2)]
            public partial class Plain { }
            """).AssertClean().Single();
        Assert.DoesNotContain("paddingMask", plain);
        Assert.Contains("public long? PaddingIndex => null;", plain);
        Assert.Contains("embedding = global::TorchSharp.torch.nn.Embedding(50, 8, dtype: dtype);", plain);
        Assert.DoesNotContain("ZeroRow", plain);
    }

    [Fact]
    public void A_block_with_a_masked_layer_runs_child_by_child()
    {
        string code = GeneratorHarness.Run(Usings + """
            [Model(6)]
            [Embedding(30, 8, PaddingIndex = 29)]
            public partial class Blocks
            {
                [LayerNorm, TransformerEncoder(2, 16), GlobalAvgPool1d]
                public partial TorchSharp.Modules.Sequential Body { get; }

                [Dense(2)]
                public partial TorchSharp.Modules.Sequential Head { get; }
            }
            """).AssertClean().Single();
        Assert.Contains("x = _body[0].call(x);", code);
        Assert.Contains("x = ((global::ModelDsl.IPaddingMaskedLayer)_body[1]).forward(x, paddingMask);", code);
        Assert.Contains("x = ((global::ModelDsl.IPaddingMaskedLayer)_body[2]).forward(x, paddingMask);", code);
        Assert.Contains("x = _head.forward(x);", code);
        Assert.Contains("paddingMaskedLayers = { \"body.encoder\", \"body.timepool\" };", code);
    }

    [Theory]
    [InlineData("[Model(8)] [Embedding(20, 4, PaddingIndex = 0), [|Conv1d(4, 3)|], GlobalAvgPool1d] public partial class Net { }", "Conv1d(4, 3)")]
    [InlineData("[Model(8)] [Embedding(20, 4, PaddingIndex = 0), ReLU, [|Flatten|], Dense(2)] public partial class Net { }", "Flatten")]
    [InlineData("[Model(8)] [Embedding(20, 4, PaddingIndex = 0), PositionalEncoding, [|GRU(4, Bidirectional = true)|]] public partial class Net { }", "GRU(4, bidirectional)")]
    public void A_layer_that_cannot_skip_padding_is_warned_once_where_the_mask_ends(string declaration, string display)
    {
        MarkedSource source = MarkedSource.Parse(Usings + declaration);
        GeneratorResult result = GeneratorHarness.Run(source.Text);
        Diagnostic warning = Assert.Single(result.Diagnostics);
        Assert.Equal(("MD0067", DiagnosticSeverity.Warning), (warning.Id, warning.Severity));
        Assert.Equal(source.Span, warning.Location.SourceSpan);
        Assert.StartsWith(display + " reads the padding steps (token id 0) as data", warning.GetMessage());
        Assert.Single(result.Files);
    }

    [Fact]
    public void No_warning_where_the_layers_skip_padding_or_the_forward_is_hand_written()
    {
        Assert.Empty(GeneratorHarness.Run(Usings + "[Model(8)] [Embedding(20, 4, PaddingIndex = 0), TransformerEncoder(2, 8), GlobalAvgPool1d, Dense(2)] public partial class Net { }").Diagnostics);
        Assert.Empty(GeneratorHarness.Run(Usings + """
            [Model(8)]
            [Embedding(20, 4, PaddingIndex = 0), LSTM(3)]
            public partial class Own
            {
                public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor input) => input;
            }
            """).Diagnostics);
    }

    [Theory]
    [InlineData("[Model(8)] [Dropout(0.2), [|Embedding(20, 4)|]] public partial class Net { }", "MD0063", "comes after [Dropout]")]
    [InlineData("[Model(8)] [[|Embedding(20, 4, PaddingIndex = -1)|]] public partial class Net { }", "MD0064", "PaddingIndex = -1 is not a token id of a vocabulary of 20 (0 to 19)")]
    [InlineData("[Model(8)] [[|Embedding(20, 4, PaddingIndex = 20)|]] public partial class Net { }", "MD0064", "PaddingIndex = 20")]
    [InlineData("[Model(1, 28, 28)] [[|Embedding(20, 4)|]] public partial class Net { }", "MD0065", "[B, 1, 28, 28]")]
    [InlineData("[Model(8)] [[|Embedding(0, 4)|]] public partial class Net { }", "MD0003", "vocabulary")]
    public void Misfits_are_errors_at_the_embedding(string declaration, string id, string message)
        => SingleError.AssertAt(Usings + declaration, id, message);
}
