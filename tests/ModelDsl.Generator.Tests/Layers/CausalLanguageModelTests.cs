using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>[TransformerEncoder(Causal = true)] and [Model(Context = T)]: the generated guard, Generate and ICausalLanguageModel, and MD0068.</summary>
public class CausalLanguageModelTests
{
    private const string Usings = "using ModelDsl;\nusing TorchSharp.Modules;\n";

    private const string Gpt = Usings + """
        [Model(Context = 16)]
        [Embedding(30, 8), PositionalEncoding(Learned = true)]
        [TransformerEncoder(2, 16, Layers = 2, Causal = true, Activation = Activation.GELU, Dropout = 0.1)]
        public partial class TinyGpt
        {
            [Dense(30)] public partial Sequential Head { get; }
        }
        """;

    [Fact]
    public void A_causal_token_model_of_variable_length_reads_up_to_its_context_and_generates()
    {
        string code = GeneratorHarness.Run(Gpt).AssertClean().Single();
        Assert.Contains("global::ModelDsl.ICausalLanguageModel", code);
        Assert.Contains("encoder = new global::ModelDsl.TransformerEncoder(8, 2, 16, count: 2, dropout: 0.1, activation: global::ModelDsl.Activation.GELU, normFirst: true, generator: generator, dtype: dtype, causal: true);", code);
        Assert.Contains("global::ModelDsl.ShapeGuard.RequireTokensUpTo(input, 16, \"TinyGpt\");", code);
        Assert.Contains("public long Context => 16;", code);
        Assert.Contains("new global::ModelDsl.TokenGenerator(this, new global::TorchSharp.torch.nn.Module<global::TorchSharp.torch.Tensor, global::TorchSharp.torch.Tensor>[] { embedding, position, encoder, _head }, 16)", code);
        Assert.Matches(@"encoder: TransformerEncoder\(2 heads, 2 layers, causal\) +\[B, 16, 8\]", code);
        Assert.Contains("causal self-attention (each step reads itself and earlier steps) over 16 steps", code);
    }

    [Fact]
    public void Gpt2_init_is_passed_on_and_its_summary_row_gives_the_scaled_std()
    {
        string code = GeneratorHarness.Run(Usings + """
            [Model(Context = 16)]
            [Embedding(30, 8), PositionalEncoding(Learned = true), TransformerEncoder(2, 16, Layers = 4, Causal = true, Init = TransformerInit.Gpt2), Dense(30)]
            public partial class Gpt2Init { }
            """).AssertClean().Single();
        Assert.Contains("causal: true, init: global::ModelDsl.TransformerInit.Gpt2);", code);
        // 0.02/√(2·4) = 0.007071
        Assert.Contains("GPT-2: N(0, 0.02²); attention output and MLP out N(0, (0.02/√8 = 0.007071)²); bias 0", code);
    }

    [Fact]
    public void A_variable_length_encoder_that_is_not_causal_reads_up_to_its_context_but_does_not_generate()
    {
        string code = GeneratorHarness.Run(Usings + """
            [Model(Context = 12)]
            [Embedding(30, 8), PositionalEncoding, TransformerEncoder(2, 16), Dense(3)]
            public partial class Tagger { }
            """).AssertClean().Single();
        Assert.Contains("RequireTokensUpTo(input, 12, \"Tagger\")", code);
        Assert.Contains("global::ModelDsl.IVariableLengthModel", code);
        Assert.Contains("public long Context => 12;", code);
        Assert.DoesNotContain("Generate(", code);
        Assert.DoesNotContain("causal: true", code);
    }

    [Fact]
    public void A_causal_encoder_with_a_fixed_length_does_not_generate()
    {
        string code = GeneratorHarness.Run(Usings + """
            [Model(16)]
            [Embedding(30, 8), PositionalEncoding, TransformerEncoder(2, 16, Causal = true), Dense(30)]
            public partial class FixedGpt { }
            """).AssertClean().Single();
        Assert.Contains("causal: true", code);
        Assert.Contains("RequireTokensOf(input, inputShape", code);
        Assert.DoesNotContain("Generate(", code);
    }

    [Theory]
    [InlineData("[[|Model(8, Context = 8)|]] [Embedding(20, 4)] public partial class Net { }", "gives both an input shape ([B, 8]) and Context = 8")]
    [InlineData("[[|Model(Context = 0)|]] [Embedding(20, 4)] public partial class Net { }", "must be at least 1, but is 0")]
    [InlineData("[[|Model(Context = 8)|]] [Dense(4)] public partial class Net { }", "the first layer must be [Embedding]")]
    [InlineData("[Model(Context = 8)] [Embedding(20, 4), [|Conv1d(4, 3)|]] public partial class Net { }", "Context lets the length vary from 1 to 8")]
    [InlineData("[Model(Context = 8)] [Embedding(20, 4), [|LSTM(4)|]] public partial class Net { }", "needs sequences of one length")]
    public void Misfits_are_MD0068_at_the_model_or_the_layer(string declaration, string message)
        => SingleError.AssertAt(Usings + declaration, "MD0068", message);

    [Fact]
    public void A_tied_head_reads_the_embeddings_table_and_counts_only_its_bias()
    {
        string code = GeneratorHarness.Run(Usings + """
            [Model(Context = 16)]
            [Embedding(30, 8), PositionalEncoding(Learned = true), TransformerEncoder(2, 16, Causal = true)]
            public partial class TiedGpt
            {
                [Dense(30, TiedToEmbedding = true)] public partial Sequential Head { get; }
            }
            """).AssertClean().Single();
        Assert.Contains("global::ModelDsl.TiedLinear headDense = new global::ModelDsl.TiedLinear(8, 30, hasBias: true, dtype: dtype);", code);
        Assert.Contains("global::ModelDsl.TiedLinear.TieAll(this);", code);
        Assert.Matches(@"head\.dense: Dense\(30\) tied +\[B, 16, 30\] +30 +the embedding's table \(tied, Press & Wolf 2017\); bias 0", code);
        // Embedding 30·8 = 240, positions 16·8 = 128, encoder 4·64 + 2·8·16 + 9·8 + 16 = 600 + final norm 16, head bias 30.
        Assert.Contains("1,014 parameters", code);
    }

    [Fact]
    public void The_token_table_can_start_at_gpt2s_std()
    {
        string code = GeneratorHarness.Run(Usings + "[Model(Context = 8)] [Embedding(30, 8, InitStd = 0.02), TransformerEncoder(2, 16, Causal = true), Dense(30, TiedToEmbedding = true)] public partial class Net { }").AssertClean().Single();
        Assert.Contains("global::ModelDsl.Initializers.Normal(embedding.weight!, mean: 0.0, std: 0.02, generator);", code);
        Assert.Matches(@"embedding: Embedding\(30, 8\) +\[B, 8, 8\] +240 +N\(0, 0\.02²\)", code);
        SingleError.AssertAt(Usings + "[Model(8)] [[|Embedding(30, 8, InitStd = 0)|]] public partial class Net { }", "MD0003", "Embedding InitStd");
    }

    [Theory]
    [InlineData("[Model(8)] [Dense(4), [|Dense(8, TiedToEmbedding = true)|]] public partial class Net { }", "the model's first layer is no [Embedding]")]
    [InlineData("[Model(8)] [Embedding(20, 4), [|Dense(21, TiedToEmbedding = true)|]] public partial class Net { }", "must map 4 features to 20 units, and it maps 4 to 21")]
    [InlineData("[Model(8)] [Embedding(20, 4), [|Dense(20, TiedToEmbedding = true, MaxNorm = 3)|]] public partial class Net { }", "WeightNoise and MaxNorm")]
    public void A_tie_that_does_not_fit_is_MD0069(string declaration, string message)
        => SingleError.AssertAt(Usings + declaration, "MD0069", message);

    [Fact]
    public void A_user_member_named_Generate_is_reported()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Model(Context = 16)]
            [Embedding(30, 8), PositionalEncoding, TransformerEncoder(2, 16, Causal = true), Dense(30)]
            public partial class Clash
            {
                public int Generate;
            }
            """);
        Assert.Contains(result.Diagnostics, d => d.Id == "MD0054" && d.GetMessage().Contains("Generate"));
    }
}
