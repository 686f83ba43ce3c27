using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Convolution;

public class CnnSnapshotTests
{
    private const string MnistCnn = """
        using ModelDsl;
        using static ModelDsl.Init;

        namespace Demo;

        [Model(1, 28, 28)]
        [Conv2d(32, 3, Padding = 1, Bias = false, Init = He), BatchNorm, ReLU]
        [Conv2d(64, 3, Padding = Padding.Same, Bias = false, Init = He), BatchNorm, ReLU, MaxPool2d(2)]
        [Dropout2d(0.25), Flatten]
        [Dense(128, Init = He), ReLU, Dropout(0.5), Dense(10)]
        public partial class MnistCnn { }
        """;

    private const string AllNorms = """
        using ModelDsl;
        using static ModelDsl.Init;

        namespace Demo;

        [Model(3, 32, 32)]
        [Conv2d(16, 5, Stride = 2, Dilation = 2, Init = HeUniform), InstanceNorm(Affine = true, TrackRunningStats = true), LeakyReLU(0.1)]
        [Conv2d(16, 3, Padding = 1, Init = Xavier), GroupNorm(4), Tanh, AvgPool2d(3, Stride = 2)]
        [LayerNorm, GlobalAvgPool, Dense(10)]
        public partial class NormZoo { }
        """;

    [Fact]
    public void Mnist_cnn_generates_conv_batchnorm2d_pool_and_a_dense_head()
    {
        GeneratorResult result = GeneratorHarness.Run(MnistCnn).AssertClean();
        string file = result.Single();
        SnapshotAssert.Matches(file, "Cnn.Demo.MnistCnn.g.cs");
        // The summary shows inferred shapes: padding 1 and Same keep 28×28, the pool halves it.
        Assert.Contains("[B, 64, 14, 14]", file);
        Assert.Contains("BatchNormalization(32", file);
        // He for a conv: fan_in = C_in·k·k = 1·3·3 for the first layer, 32·3·3 = 288 for the second.
        Assert.Contains("std √2/√9 = 0.4714", file);
        Assert.Contains("std √2/√288 = 0.08333", file);
    }

    [Fact]
    public void Instance_group_and_layer_norms_generate_with_inferred_shapes()
    {
        GeneratorResult result = GeneratorHarness.Run(AllNorms).AssertClean();
        string file = result.Single();
        SnapshotAssert.Matches(file, "Cnn.Demo.NormZoo.g.cs");
        // 32 → floor((32 − 2·4 − 1)/2) + 1 = 12 → conv k3 p1: 12 → avg pool k3 s2: floor((12 − 3)/2) + 1 = 5.
        Assert.Contains("[B, 16, 12, 12]", file);
        Assert.Contains("[B, 16, 5, 5]", file);
        Assert.Contains("LayerNorm(new long[] { 16, 5, 5 }", file);
        // TorchSharp's GroupNorm leaves γ/β uninitialized and rejects [B, C]: the runtime's GroupNormalization replaces it.
        Assert.Contains("new global::ModelDsl.GroupNormalization(4, 16, eps: 1E-05, affine: true, dtype: dtype);", file);
    }

    [Theory]
    [InlineData("Padding = Padding.Valid")]
    [InlineData("Padding = 0")]
    public void Valid_and_zero_padding_generate_the_same_code_as_no_padding(string padding)
    {
        static string Source(string options) => $$"""
            using ModelDsl;

            namespace Demo;

            [Model(1, 9, 9)]
            [Conv2d(4, 3{{options}}), Flatten, Dense(2)]
            public partial class Net { }
            """;
        string plain = GeneratorHarness.Run(Source("")).AssertClean().Single();
        Assert.Equal(plain, GeneratorHarness.Run(Source(", " + padding)).AssertClean().Single());
        Assert.Contains("[B, 4, 7, 7]", plain);
    }
}
