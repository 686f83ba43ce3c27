using System.Linq;
using ModelDsl.Generator.Helpers;
using Xunit;

namespace ModelDsl.Generator.Tests.Declarations;

/// <summary>Hint names: file-name characters only, at most 100 characters before ".g.cs", unique ignoring case.</summary>
public class HintNamesTests
{
    [Fact]
    public void Readable_names_stay_as_they_are()
        => Assert.Equal("Demo.Outer`1.Mlp", HintNames.Base("Demo", new[] { "Outer`1", "Mlp" }));

    [Fact]
    public void Characters_a_file_name_cannot_hold_are_replaced_and_the_exact_name_hashed()
    {
        // A file-local class's metadata name: <Model0>F3A2…__Mlp.
        string a = HintNames.Base("Demo", new[] { "<Model0>F1__Mlp" });
        string b = HintNames.Base("Demo", new[] { "_Model0_F1__Mlp" });
        Assert.Matches("^[A-Za-z0-9._+`-]+$", a);
        Assert.StartsWith("Demo._Model0_F1__Mlp.", a);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Long_names_are_shortened_with_a_hash()
    {
        string ns = string.Join(".", Enumerable.Range(0, 40).Select(i => "Segment" + i));
        string a = HintNames.Base(ns, new[] { "Net" });
        string b = HintNames.Base(ns, new[] { "Other" });
        Assert.Equal(HintNames.MaxBaseLength, a.Length);
        Assert.NotEqual(a, b);
    }
}
