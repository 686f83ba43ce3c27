using System.Linq;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>
/// He and Xavier take their gain from the activation after the layer. Each layer is found by its position, never by
/// value: two identical attributes in one block are two layers, each followed by its own activation.
/// </summary>
public class FollowingActivationTests
{
    private const string Usings = "using ModelDsl;\nusing static ModelDsl.Init;\nusing TorchSharp.Modules;\nusing static TorchSharp.torch;\n";

    [Fact]
    public void Identical_layers_in_a_block_with_a_user_forward_each_take_the_gain_of_their_own_activation()
    {
        string code = GeneratorHarness.Run(Usings + """
            [Model(8)]
            public partial class Twins
            {
                [Dense(32, Init = He), LeakyReLU(0.2), Dense(32, Init = He), ReLU] public partial Sequential Body { get; }
                public override Tensor forward(Tensor input) => Body.forward(input);
            }
            """).AssertClean().Single();

        // LeakyReLU(0.2): PyTorch's calculate_gain("leaky_relu", 0.2) = √(2 / (1 + 0.2²)) = 1.3867504905630728; ReLU: √2.
        Assert.Contains("HeNormal(bodyDense1.weight, gain: 1.3867504905630728,", code);
        Assert.Contains("HeNormal(bodyDense2.weight, gain: 1.4142135623730951,", code);
    }

    [Fact]
    public void Identical_layers_in_the_chained_stack_each_take_the_gain_of_their_own_activation()
    {
        string code = GeneratorHarness.Run(Usings + "[Model(8)] [Dense(32, Init = He), LeakyReLU(0.2), Dense(32, Init = He), ReLU] public partial class Chain { }")
            .AssertClean().Single();
        Assert.Contains("HeNormal(dense1.weight, gain: 1.3867504905630728,", code);
        Assert.Contains("HeNormal(dense2.weight, gain: 1.4142135623730951,", code);
    }
}
