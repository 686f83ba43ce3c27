using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests;

public class CardExampleTests
{
    [Fact]
    public void Card_example_generates_one_clean_file()
    {
        GeneratorResult result = GeneratorHarness.Run(Sources.Card).AssertClean();
        Assert.Equal("Demo.Mlp.g.cs", Assert.Single(result.Files).Key);
        SnapshotAssert.Matches(result.Single(), "Card.Demo.Mlp.g.cs");
    }
}
