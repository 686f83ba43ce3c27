using System.Linq;
using ModelDsl.CodeFixes;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.CodeFixes;

/// <summary>Each fix, applied to real source: the resulting text is exact, and the fixed model generates cleanly.</summary>
public class CodeFixTests
{
    [Fact]
    public void MD0001_adds_partial_to_the_model_class()
    {
        const string source = """
            using ModelDsl;

            namespace Demo;

            [Model(4)]
            [Dense(2)]
            public class Tiny { }
            """;
        string fixedText = CodeFixHarness.Apply(new AddPartialCodeFix(), source, "MD0001");
        Assert.Equal(source.Replace("public class Tiny", "public partial class Tiny"), fixedText);
        GeneratorHarness.Run(fixedText).AssertClean();
    }

    [Fact]
    public void MD0001_adds_partial_to_a_containing_type_without_modifiers_keeping_its_indentation()
    {
        const string source = """
            using ModelDsl;

            namespace Demo;

            class Outer
            {
                [Model(4)]
                [Dense(2)]
                internal class Tiny { }
            }
            """;
        string fixedText = CodeFixHarness.Apply(new AddPartialCodeFix(), source, "MD0001");
        Assert.Equal(source.Replace("class Outer", "partial class Outer").Replace("internal class Tiny", "internal partial class Tiny"), fixedText);
        GeneratorHarness.Run(fixedText).AssertClean();
    }

    [Fact]
    public void MD0030_inserts_Flatten_right_before_the_Dense_attribute()
    {
        const string source = """
            using ModelDsl;

            namespace Demo;

            [Model(1, 4, 4)]
            [LayerNorm, Dense(3)]
            public partial class Images { }
            """;
        string fixedText = CodeFixHarness.Apply(new AddFlattenCodeFix(), source, "MD0030");
        Assert.Equal(source.Replace("[LayerNorm, Dense(3)]", "[LayerNorm, Flatten, Dense(3)]"), fixedText);
        GeneratorHarness.Run(fixedText).AssertClean();
    }

    [Theory]
    [InlineData("Init = He", "Init = Xavier")]
    [InlineData("Init = HeUniform", "Init = XavierUniform")]
    [InlineData("Init = ModelDsl.Init.He", "Init = ModelDsl.Init.Xavier")]
    public void MD0011_swaps_He_for_Xavier_before_tanh(string before, string after)
    {
        string source = $$"""
            using ModelDsl;
            using static ModelDsl.Init;

            namespace Demo;

            [Model(8)]
            [Dense(4, {{before}}), Tanh]
            [Dense(1)]
            public partial class Saturating { }
            """;
        string fixedText = CodeFixHarness.Apply(new SwapInitCodeFix(), source, "MD0011");
        Assert.Equal(source.Replace(before, after), fixedText);
        GeneratorHarness.Run(fixedText).AssertClean();
    }

    [Theory]
    [InlineData("Init = Xavier", "Init = He")]
    [InlineData("Init = XavierUniform", "Init = HeUniform")]
    public void MD0012_swaps_Xavier_for_He_before_ReLU(string before, string after)
    {
        string source = $$"""
            using ModelDsl;
            using static ModelDsl.Init;

            namespace Demo;

            [Model(8)]
            [Dense(4, {{before}}), ReLU]
            [Dense(1)]
            public partial class Rectified { }
            """;
        string fixedText = CodeFixHarness.Apply(new SwapInitCodeFix(), source, "MD0012");
        Assert.Equal(source.Replace(before, after), fixedText);
        GeneratorHarness.Run(fixedText).AssertClean();
    }

    [Fact]
    public void Fixable_ids_are_the_generators_descriptors()
    {
        // DiagnosticIds in the code-fix assembly mirror the generator's descriptors; a renumbering must break here.
        Assert.Equal(Descriptors.NotPartial.Id, new AddPartialCodeFix().FixableDiagnosticIds.Single());
        Assert.Equal(Descriptors.DenseNeedsFlatten.Id, new AddFlattenCodeFix().FixableDiagnosticIds.Single());
        Assert.Equal(new[] { Descriptors.HeBeforeSaturating.Id, Descriptors.XavierBeforeReLU.Id }, new SwapInitCodeFix().FixableDiagnosticIds.ToArray());
    }
}
