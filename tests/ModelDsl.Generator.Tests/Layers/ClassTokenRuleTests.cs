using System.Linq;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>ViT's pieces: [ClassToken] adds a step, [PositionEmbedding] adds [1, T, D], [SelectToken(i)] keeps one step; [TransformerEncoder(Eps = …)].</summary>
public class ClassTokenRuleTests
{
    private const string Usings = "using ModelDsl;\n";

    [Fact]
    public void The_vit_pieces_plan_their_shapes_and_parameters()
    {
        string code = GeneratorHarness.Run(Usings + "[Model(1, 8, 8)] [PatchEmbedding(4, 6), ClassToken, PositionEmbedding, TransformerEncoder(2, 8, Eps = 1e-6), SelectToken(0), Dense(3)] public partial class Net { }").AssertClean().Single();
        Assert.Contains("classtoken = new global::ModelDsl.ClassToken(6, dtype: dtype);", code);
        Assert.Contains("posembedding = new global::ModelDsl.PositionEmbedding(5, 6, generator, dtype: dtype);", code);
        Assert.Contains("selecttoken = new global::ModelDsl.SelectToken(0);", code);
        Assert.Contains("eps: 1E-06", code);
        Assert.Contains("/// classtoken: ClassToken", code);
        Assert.Contains("[B, 5, 6]", code);     // 4 patches and the token
        Assert.Contains("/// posembedding: PositionEmbedding", code);
    }

    [Theory]
    [InlineData("[Model(4)] [ClassToken]", "MD0060")]
    [InlineData("[Model(3, 4)] [SelectToken(3)]", "MD0003")]
    [InlineData("[Model(3, 4)] [SelectToken(-1)]", "MD0003")]
    [InlineData("[Model(3, 4)] [TransformerEncoder(2, 8, Eps = 0)]", "MD0003")]
    public void Misfits_are_refused(string declaration, string id)
        => Assert.Contains(GeneratorHarness.Run(Usings + declaration + " public partial class Net { }").Diagnostics, d => d.Id == id);
}
