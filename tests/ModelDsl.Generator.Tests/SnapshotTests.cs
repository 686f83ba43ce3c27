using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// One snapshot per generated file for each shape of input the generator must handle. Every case must also compile
/// with zero warnings under nullable (AssertClean), so a snapshot can never record broken code.
/// </summary>
public class SnapshotTests
{
    private static void Check(string source, string name)
    {
        GeneratorResult result = GeneratorHarness.Run(source).AssertClean();
        foreach (var (hint, text) in result.Files) SnapshotAssert.Matches(text, name + "." + hint);
    }

    [Fact]
    public void Named_blocks_chain_in_declaration_order() => Check("""
        using ModelDsl;
        using TorchSharp.Modules;
        using static ModelDsl.Init;

        namespace Demo;

        [Model(784)]
        public partial class BlockNet
        {
            [Dense(256, Init = He), ReLU]
            public partial Sequential Hidden { get; }

            [Dense(128, Init = He, Activation = Activation.ReLU), Dropout(Keep = 0.8)]
            private Sequential body;

            [Dense(10), LogSoftmax]
            internal partial Sequential Head { get; }
        }
        """, "NamedBlocks");

    [Fact]
    public void User_written_forward_keeps_the_blocks_to_call() => Check("""
        using ModelDsl;
        using TorchSharp.Modules;
        using static ModelDsl.Init;
        using static TorchSharp.torch;

        namespace Demo;

        [Model(32)]
        public partial class Residual
        {
            [Dense(32, Init = He), ReLU]
            public partial Sequential Inner { get; }

            [Dense(1, Init = Xavier)]
            public partial Sequential Out { get; }

            public override Tensor forward(Tensor input) => Out.forward(input + Inner.forward(input));
        }
        """, "UserForward");

    [Fact]
    public void Every_init() => Check("""
        using ModelDsl;
        using static ModelDsl.Init;

        namespace Demo;

        [Model(16)]
        [Dense(16, Init = Normal, InitMean = 0.1, InitStd = 0.02), Tanh]
        [Dense(16, Init = Uniform, InitLow = -0.1, InitHigh = 0.2), ReLU]
        [Dense(16, Init = Xavier), Tanh]
        [Dense(16, Init = XavierUniform, InitGain = 1.6666666666666667), Tanh]
        [Dense(16, Init = He, InitMode = FanMode.FanOut), ReLU]
        [Dense(16, Init = HeUniform), LeakyReLU(0.2)]
        [Dense(16, Init = LeCun), GELU]
        [Dense(16, Init = Orthogonal, InitGain = 2.0, BiasInit = Constant, BiasValue = 0.1), Sigmoid]
        [Dense(16, Bias = false)]
        [Dense(4, BiasInit = Zeros)]
        public partial class AllInits { }
        """, "EveryInit");

    [Fact]
    public void Every_layer() => Check("""
        using ModelDsl;
        using static ModelDsl.Init;

        namespace Demo;

        [Model(8, 4)]
        [Flatten]
        [Dense(64, Init = He), BatchNorm(Momentum = 0.01, Eps = 0.001), ReLU]
        [Dense(64, Init = He), ReLU, BatchNorm(Affine = false)]
        [Dense(64, Init = Xavier), LayerNorm(Eps = 1e-6), Tanh, Dropout(0.2)]
        [Dense(64, Init = Xavier), Sigmoid, Dropout(Keep = 0.5, Mode = DropoutMode.WeightScaling)]
        [Dense(64, Init = He), LeakyReLU, GELU]
        [Dense(3), Softmax]
        public partial class AllLayers { }
        """, "EveryLayer");

    [Fact]
    public void Nested_and_generic_containing_types() => Check("""
        using ModelDsl;

        namespace Demo.Nested
        {
            public static partial class Outer<T> where T : class
            {
                internal partial struct Middle
                {
                    [Model(4)]
                    [Dense(2)]
                    public partial class Inner<TModel> { }
                }
            }
        }
        """, "Nested");

    [Fact]
    public void Global_namespace() => Check("""
        using ModelDsl;

        [Model(3)]
        [Dense(1)]
        public partial class GlobalModel { }
        """, "Global");

    [Fact]
    public void Same_type_name_in_two_namespaces_gets_two_files() => Check("""
        using ModelDsl;

        namespace A { [Model(3)] [Dense(1)] public partial class Net { } }
        namespace B { [Model(5)] [Dense(2)] public partial class Net { } }
        """, "TwoNamespaces");

    [Fact]
    public void Token_input_with_a_padding_mask_and_sequence_layers() => Check("""
        using ModelDsl;
        using TorchSharp.Modules;

        namespace Demo;

        [Model(32)]
        [Embedding(5000, 64, PaddingIndex = 0), PositionalEncoding, Dropout(0.1)]
        [WeightDecay(L2 = 1e-4)]
        public partial class TextClassifier
        {
            [TransformerEncoder(4, 128, Layers = 2), GlobalAvgPool1d]
            public partial Sequential Encoder { get; }

            [Dense(2)]
            public partial Sequential Head { get; }
        }

        [Model(50, 8)]
        [Conv1d(16, 5, Padding = Padding.Same, Init = Init.He), ReLU, MaxPool1d(2)]
        [LSTM(32), Dense(1)]
        public partial class SignalReader { }
        """, "Tokens");
}
