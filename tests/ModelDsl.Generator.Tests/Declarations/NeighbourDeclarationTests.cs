using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Declarations;

/// <summary>Neighbours of issue #14's examples that no other test names: the kinds combined in one declaration.</summary>
public class NeighbourDeclarationTests
{
    [Fact]
    public void A_generic_keyword_named_model_in_a_keyword_namespace_with_an_ensemble_and_a_keyword_block_compiles()
    {
        GeneratorResult result = GeneratorHarness.Run("""
            using ModelDsl;
            using TorchSharp.Modules;

            namespace @namespace.@class
            {
                [Model(4)]
                [Dense(3), ReLU]
                [Ensemble(2, Seed = 1)]
                internal partial class @event<T> where T : class
                {
                    [Dense(2)]
                    public partial Sequential @object { get; }
                }
            }
            """).AssertClean();
        Assert.Equal(2, result.Files.Count);
    }
}
