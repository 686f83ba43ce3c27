using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>
/// The refused cells of docs/dsl-reference.md's norm table (issue #23 §3.2), each an error at the norm; the accepted cells
/// are checked on tensors by tests/ModelDsl.Tests/Layers/NormAxesTests.
/// </summary>
public class NormTableTests
{
    [Theory]
    [InlineData("[Model(6, 4)]", "InstanceNorm", "MD0033", "use LayerNorm, which normalizes each step")]
    [InlineData("[Model(6, 4)]", "GroupNorm(2)", "MD0033", "use LayerNorm, which normalizes each step")]
    [InlineData("[Model(4)]", "InstanceNorm", "MD0034", "flat features [B, 4]")]
    public void A_refused_cell_is_an_error_at_the_norm(string model, string norm, string id, string message)
        => SingleError.AssertAt("using ModelDsl;\n" + model + $" [[|{norm}|]] public partial class Net {{ }}", id, message);

    [Theory]
    [InlineData("[Model(4)]", "normalizes each sample over [4]", "8 ")]
    [InlineData("[Model(6, 4)]", "normalizes each step of each sample over its 4 features", "8 ")]
    [InlineData("[Model(3, 4, 5)]", "normalizes each sample over [3, 4, 5]", "120 ")]
    public void LayerNorm_parameters_and_summary_follow_the_table(string model, string comment, string parameters)
    {
        string code = GeneratorHarness.Run("using ModelDsl;\n" + model + " [LayerNorm] public partial class Net { }").AssertClean().Single();
        Assert.Contains(comment, code);
        // γ and β: one each per feature (features, sequences) or per value of the image (2·3·4·5 = 120).
        Assert.Matches(@"layernorm: LayerNorm +\[B[^\]]*\] +" + parameters, code);
    }
}
