using Xunit;

namespace ModelDsl.Generator.Tests;

public class AttributeNamesTests
{
    [Fact]
    public void Generator_names_match_the_attribute_types()
    {
        Assert.Equal(AttributeNames.Model, typeof(ModelAttribute).FullName);
        Assert.Equal(AttributeNames.LayerBase, typeof(LayerAttribute).FullName);
        Assert.Equal(AttributeNames.Residual, typeof(ResidualAttribute).FullName);
        Assert.Equal(AttributeNames.Namespace, typeof(ModelAttribute).Namespace);
    }
}
