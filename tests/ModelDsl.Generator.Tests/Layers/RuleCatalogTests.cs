using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using ModelDsl.Generator.Planning;
using Xunit;

namespace ModelDsl.Generator.Tests.Layers;

/// <summary>
/// Rules and attributes agree: every concrete LayerAttribute has a rule, every rule an attribute, and every option
/// default a rule states equals the default of the attribute's property (the attribute is what users read).
/// </summary>
public class RuleCatalogTests
{
    private static readonly Type[] LayerAttributes = typeof(LayerAttribute).Assembly.GetTypes()
        .Where(t => typeof(LayerAttribute).IsAssignableFrom(t) && !t.IsAbstract && t.IsPublic)
        .ToArray();

    public static TheoryData<string> RuleNames()
    {
        var data = new TheoryData<string>();
        foreach (LayerRule rule in LayerRules.All) data.Add(rule.Name);
        return data;
    }

    [Fact]
    public void Every_concrete_layer_attribute_has_a_rule_and_every_rule_an_attribute()
    {
        var attributes = LayerAttributes.Select(t => t.Name.Substring(0, t.Name.Length - "Attribute".Length)).OrderBy(n => n).ToList();
        var rules = LayerRules.All.Select(r => r.Name).OrderBy(n => n).ToList();
        Assert.Equal(attributes, rules);
    }

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Every_option_default_equals_the_attribute_property_default(string name)
    {
        LayerRule rule = LayerRules.Find(name)!;
        Type attribute = LayerAttributes.Single(t => t.Name == name + "Attribute");
        object instance = Construct(attribute);
        foreach (KeyValuePair<string, object> option in rule.Defaults)
        {
            PropertyInfo property = attribute.GetProperty(option.Key) ?? throw new InvalidOperationException($"{attribute.Name} has no property {option.Key}");
            object? actual = property.GetValue(instance);
            object expected = option.Value;
            if (actual is Enum) Assert.Equal(expected, actual.ToString());
            else if (expected is string text) Assert.Equal(text, (string?)actual ?? ""); // a name option: "" for none
            else Assert.Equal(Convert.ToDouble(expected, System.Globalization.CultureInfo.InvariantCulture), Convert.ToDouble(actual, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Rules_state_the_defaults_of_every_option_property_they_have()
    {
        // Every settable option of an attribute (not a constructor argument) is a rule default, so none is restated elsewhere;
        // Name (LayerAttribute's, every layer's) is read by presence by the planner, not by the rules.
        foreach (Type attribute in LayerAttributes)
        {
            LayerRule rule = LayerRules.Find(attribute.Name.Substring(0, attribute.Name.Length - "Attribute".Length))!;
            var options = attribute.GetProperties().Where(p => p.SetMethod is { IsPublic: true } && p.Name is not ("Group" or "Keep" or "Padding" or "Name"));
            Assert.All(options, p => Assert.True(rule.Defaults.ContainsKey(p.Name), $"{rule.Name} does not state the default of {p.Name}"));
        }
    }

    [Theory]
    [InlineData("Ensemble")]
    [InlineData("WeightDecay")]
    public void Every_model_option_default_equals_the_attribute_property_default(string name)
    {
        Type attribute = typeof(LayerAttribute).Assembly.GetType("ModelDsl." + name + "Attribute")!;
        object instance = Construct(attribute);
        ImmutableDictionary<string, object> defaults = ModelOptionDefaults.ByAttribute[name];
        foreach (KeyValuePair<string, object> option in defaults)
        {
            object? actual = attribute.GetProperty(option.Key)!.GetValue(instance);
            if (actual is Enum) Assert.Equal(option.Value, actual.ToString());
            else Assert.Equal(Convert.ToDouble(option.Value, System.Globalization.CultureInfo.InvariantCulture), Convert.ToDouble(actual, System.Globalization.CultureInfo.InvariantCulture));
        }
        // Every settable option but the ones read by presence (Seed, Weights) has its default stated.
        var options = attribute.GetProperties().Where(p => p.SetMethod is { IsPublic: true } && p.Name is not ("Seed" or "Weights"));
        Assert.All(options, p => Assert.True(defaults.ContainsKey(p.Name), $"[{name}] does not state the default of {p.Name}"));
    }

    /// <summary>The attribute with its parameterless constructor, or the one with fewest parameters given zeros (their values are not options).</summary>
    private static object Construct(Type attribute)
    {
        ConstructorInfo constructor = attribute.GetConstructors().OrderBy(c => c.GetParameters().Length).First();
        object?[] arguments = constructor.GetParameters().Select(p => p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null).ToArray();
        return constructor.Invoke(arguments);
    }
}
