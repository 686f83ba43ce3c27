using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>[Conv1d], [MaxPool1d], [AvgPool1d] on [B, T, F]: construction, shapes T' = ⌊(T + 2p − d(k−1) − 1)/s⌋ + 1, counts, init gain, diagnostics.</summary>
public class Conv1dRuleTests
{
    private const string Usings = "using ModelDsl;\n";

    [Fact]
    public void Convolutions_and_pooling_over_time_generate_the_sequence_modules_with_their_shapes()
    {
        string code = GeneratorHarness.Run(Usings + """
            [Model(50, 16)]
            [Conv1d(32, 5, Init = Init.He), ReLU, MaxPool1d(2)]
            [Conv1d(32, 3, Padding = Padding.Same, Dilation = 2, Group = "body"), AvgPool1d(4, Stride = 2)]
            [Conv1d(8, 3, Stride = 2, Padding = 1, Bias = false, Activation = Activation.Tanh)]
            [GlobalAvgPool1d, Dense(2)]
            [WeightDecay("body", L2 = 1e-4)]
            public partial class Temporal { }
            """).AssertClean().Single();
        Assert.Contains("conv1d1 = new global::ModelDsl.SequenceConv1d(16, 32, 5, generator: generator, dtype: dtype);", code);
        // He normal with the ReLU's gain √2 (the pooling after it is transparent to the search).
        Assert.Contains("global::ModelDsl.Initializers.HeNormal(conv1d1.weight, gain: 1.4142135623730951", code);
        Assert.Contains("maxpool1d = new global::ModelDsl.SequencePool1d(maximum: true, kernel: 2, stride: 2);", code);
        Assert.Contains("conv1d2 = new global::ModelDsl.SequenceConv1d(32, 32, 3, same: true, dilation: 2, generator: generator, dtype: dtype);", code);
        Assert.Contains("avgpool1d = new global::ModelDsl.SequencePool1d(maximum: false, kernel: 4, stride: 2);", code);
        Assert.Contains("conv1d3 = new global::ModelDsl.SequenceConv1d(32, 8, 3, stride: 2, padding: 1, hasBias: false, generator: generator, dtype: dtype);", code);
        Assert.Contains("\"conv1d2.weight\"", code); // in the "body" weight-decay group
        // 50 → 46 (k 5) → 23 (pool 2) → 23 (same) → ⌊(23 − 4)/2⌋ + 1 = 10 → ⌊(10 + 2 − 2 − 1)/2⌋ + 1 = 5.
        // Parameters: 32·16·5 + 32 = 2,592; 32·32·3 + 32 = 3,104; 8·32·3 = 768; 8·2 + 2 = 18.
        Assert.Matches(@"conv1d1: Conv1d\(32, 5\) +\[B, 46, 32\] +2,592 ", code);
        Assert.Matches(@"maxpool1d: MaxPool1d\(2\) +\[B, 23, 32\]", code);
        Assert.Matches(@"conv1d2: Conv1d\(32, 3\) +\[B, 23, 32\] +3,104 ", code);
        Assert.Matches(@"avgpool1d: AvgPool1d\(4, stride 2\) +\[B, 10, 32\]", code);
        Assert.Matches(@"conv1d3: Conv1d\(8, 3\) +\[B, 5, 8\] +768 ", code);
        Assert.Contains("6,482 parameters", code);
    }

    [Theory]
    [InlineData(10, 3, 1, 0, 1, 8)]
    [InlineData(10, 3, 2, 1, 1, 5)]
    [InlineData(10, 3, 1, 0, 3, 4)]
    [InlineData(7, 4, 3, 2, 1, 3)]
    [InlineData(5, 5, 1, 0, 1, 1)]
    public void The_output_length_is_pytorchs_formula(long steps, long kernel, long stride, long padding, long dilation, long expected)
    {
        string code = GeneratorHarness.Run(Usings + $"[Model({steps}, 2)] [Conv1d(3, {kernel}, Stride = {stride}, Padding = {padding}, Dilation = {dilation})] public partial class Net {{ }}").AssertClean().Single();
        Assert.Contains($"[B, {steps}, 2] → [B, {expected}, 3]", code);
    }

    [Theory]
    [InlineData("[Model(12)] [[|Conv1d(4, 3)|]] public partial class Net { }", "MD0060", "[B, 12]")]
    [InlineData("[Model(1, 8, 8)] [[|MaxPool1d(2)|]] public partial class Net { }", "MD0060", "[B, 1, 8, 8]")]
    [InlineData("[Model(6, 2)] [[|Conv1d(4, 3, Stride = 2, Padding = Padding.Same)|]] public partial class Net { }", "MD0036", "Stride = 1")]
    [InlineData("[Model(4, 2)] [[|Conv1d(4, 3, Dilation = 2)|]] public partial class Net { }", "MD0031", "[B, 4, 2]")]
    [InlineData("[Model(3, 2)] [[|AvgPool1d(4)|]] public partial class Net { }", "MD0031", "[B, 3, 2]")]
    [InlineData("[Model(6, 2)] [[|Conv1d(4, 3, Padding = -1)|]] public partial class Net { }", "MD0037", "-1")]
    [InlineData("[Model(6, 2)] [[|Conv1d(4, 0)|]] public partial class Net { }", "MD0003", "Conv1d kernel")]
    public void Misfits_are_errors_at_the_attribute(string declaration, string id, string message)
        => SingleError.AssertAt(Usings + declaration, id, message);
}
