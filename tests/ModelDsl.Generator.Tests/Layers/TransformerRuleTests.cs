using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>[PatchEmbedding], [PositionalEncoding], [TransformerEncoder], [GlobalAvgPool1d]: shapes, parameter counts, MD0060–MD0062.</summary>
public class TransformerRuleTests
{
    private const string Usings = "using ModelDsl;\n";

    [Fact]
    public void A_vision_transformer_generates_the_runtime_layers_with_their_shapes_and_counts()
    {
        string code = GeneratorHarness.Run(Usings + """
            [Model(1, 28, 28)]
            [PatchEmbedding(7, 64), PositionalEncoding(Learned = true)]
            [TransformerEncoder(4, 128, Layers = 2, Activation = Activation.GELU)]
            [GlobalAvgPool1d, Dense(10)]
            public partial class Vit { }
            """).AssertClean().Single();
        Assert.Contains("patches = new global::ModelDsl.PatchEmbedding(1, 7, 64, generator: generator, dtype: dtype);", code);
        Assert.Contains("position = new global::ModelDsl.PositionalEncoding(16, 64, learned: true, dtype: dtype, generator: generator);", code);
        Assert.Contains("encoder = new global::ModelDsl.TransformerEncoder(64, 4, 128, count: 2, dropout: 0.1, activation: global::ModelDsl.Activation.GELU, normFirst: true, generator: generator, dtype: dtype);", code);
        // Patches: 1·7·7·64 + 64 = 3,200. Positions: 16·64 = 1,024. Encoder per layer 4·64² + 2·64·128 + 9·64 + 128 = 33,472,
        // two layers and a final norm (128): 67,072. Pooling: none. Head: 64·10 + 10 = 650. Total 71,946.
        Assert.Matches(@"patches: PatchEmbedding\(7, 64\) +\[B, 16, 64\] +3,200 ", code);
        Assert.Matches(@"position: PositionalEncoding\(learned\) +\[B, 16, 64\] +1,024 ", code);
        Assert.Matches(@"encoder: TransformerEncoder\(4 heads, 2 layers\) +\[B, 16, 64\] +67,072 ", code);
        Assert.Matches(@"timepool: GlobalAvgPool1d +\[B, 64\]", code);
        Assert.Contains("71,946 parameters", code);
    }

    [Theory]
    [InlineData("[Model(10, 6)] [[|TransformerEncoder(4, 16)|]] public partial class Net { }", "MD0061", "4 heads must divide the width 6")]
    [InlineData("[Model(10, 8)] [[|TransformerEncoder(2, 16, Activation = Activation.Tanh)|]] public partial class Net { }", "MD0061", "ReLU or GELU, not Tanh")]
    [InlineData("[Model(1, 28, 28)] [[|PatchEmbedding(5, 8)|]] public partial class Net { }", "MD0062", "multiples of 5")]
    [InlineData("[Model(12)] [[|TransformerEncoder(2, 16)|]] public partial class Net { }", "MD0060", "[B, 12]")]
    [InlineData("[Model(12)] [[|PositionalEncoding|]] public partial class Net { }", "MD0060", "[B, 12]")]
    [InlineData("[Model(3, 8, 8)] [[|GlobalAvgPool1d|]] public partial class Net { }", "MD0060", "[B, 3, 8, 8]")]
    [InlineData("[Model(12, 4)] [[|PatchEmbedding(2, 8)|]] public partial class Net { }", "MD0035", "[B, 12, 4]")]
    public void Misfits_are_errors_at_the_attribute(string declaration, string id, string message)
        => SingleError.AssertAt(Usings + declaration, id, message);
}
