using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>[LSTM(units)] and [GRU(units)]: ModelDsl.Recurrent over [B, T, F], shapes and parameter counts, MD0060.</summary>
public class RecurrentRuleTests
{
    private const string Usings = "using ModelDsl;\n";

    [Fact]
    public void Lstm_generates_the_runtime_layer_with_its_options_and_the_model_generator()
    {
        string code = GeneratorHarness.Run(Usings + "[Model(28, 28)] [LSTM(32, Layers = 2, Bidirectional = true, Dropout = 0.1)] [Dense(10)] public partial class Net { }")
            .AssertClean().Single();
        Assert.Contains("private readonly global::ModelDsl.Recurrent lstm;", code);
        Assert.Contains("lstm = new global::ModelDsl.Recurrent(global::ModelDsl.RecurrentKind.LSTM, 28, 32, layers: 2, bidirectional: true, dropout: 0.1, "
            + "returnSequences: false, forgetBias: 1.0, generator: generator, dtype: dtype);", code);
        // Per layer and direction G·H·(F_in + H) + 2·G·H with G = 4, H = 32: layer 1 reads F = 28, layer 2 reads D·H = 64.
        // 2·(128·60 + 256) + 2·(128·96 + 256) = 15,872 + 25,088 = 40,960; the head adds 64·10 + 10 = 650.
        Assert.Matches(@"lstm: LSTM\(32, bidirectional, 2 layers, dropout 0.1\) +\[B, 64\] +40,960 ", code);
        Assert.Contains("41,610 parameters", code);
    }

    [Fact]
    public void Gru_returning_sequences_keeps_the_time_axis()
    {
        string code = GeneratorHarness.Run(Usings + "[Model(12, 5)] [GRU(8, ReturnSequences = true), GRU(4)] [Dense(1)] public partial class Net { }")
            .AssertClean().Single();
        Assert.Matches(@"gru1: GRU\(8\) +\[B, 12, 8\] +360 ", code);
        Assert.Matches(@"gru2: GRU\(4\) +\[B, 4\] +168 ", code);
        // G = 3: 3·8·(5 + 8) + 2·3·8 = 360; 3·4·(8 + 4) + 2·3·4 = 168.
        Assert.Contains("new global::ModelDsl.Recurrent(global::ModelDsl.RecurrentKind.GRU, 5, 8, layers: 1, bidirectional: false, dropout: 0.0, returnSequences: true, forgetBias: 0.0,", code);
    }

    [Theory]
    [InlineData("LSTM")]
    [InlineData("GRU")]
    public void Dropout_on_one_layer_is_MD0085_at_the_argument_and_the_summary_shows_it(string kind)
    {
        string code = SingleWarning.AssertAt(Usings + $"[Model(5, 3)] [{kind}(4, [|Dropout = 0.5|])] [Dense(1)] public partial class Net {{ }}", "MD0085", "Layers = 1");
        // A warning: the model is still generated, and its summary row names the dropout that does nothing.
        Assert.Matches(kind.ToLowerInvariant() + @": " + kind + @"\(4, dropout 0.5\) ", code);
        // Stacked, the same dropout acts (between the layers) and is no warning.
        Assert.Empty(GeneratorHarness.Run(Usings + $"[Model(5, 3)] [{kind}(4, Layers = 2, Dropout = 0.5)] [Dense(1)] public partial class Net {{ }}").Diagnostics);
    }

    [Theory]
    [InlineData("[Model(16)]", "[B, 16]")]
    [InlineData("[Model(3, 8, 8)]", "[B, 3, 8, 8]")]
    public void A_recurrent_layer_on_a_non_sequence_is_MD0060_at_the_attribute(string model, string shape)
        => SingleError.AssertAt(Usings + model + " [[|LSTM(4)|]] public partial class Net { }", "MD0060", shape);

    [Theory]
    [InlineData("GRU(4, Dropout = 1.0)", "GRU Dropout")]
    [InlineData("LSTM(0)", "LSTM units")]
    [InlineData("LSTM(4, Layers = 0)", "LSTM Layers")]
    public void Invalid_options_are_MD0003(string layer, string what)
    {
        MarkedSource source = MarkedSource.Parse(Usings + $"[Model(5, 3)] [[|{layer}|]] public partial class Net {{ }}");
        Diagnostic error = Assert.Single(GeneratorHarness.Run(source.Text).Diagnostics);
        Assert.Equal("MD0003", error.Id);
        Assert.Equal(source.Span, error.Location.SourceSpan);
        Assert.Contains(what, error.GetMessage());
    }
}
