using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// The generator must be cached across edits (slow IDE typing comes from pipelines that re-run: dotnet/runtime #56702).
/// Checked by step states, not timing, and by a reflection walk for Roslyn objects in pipeline values.
/// </summary>
public class IncrementalityTests
{
    private static readonly string[] Steps = { TrackingNames.Declarations };

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun(params string[] sources)
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(sources);
        return (GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation), compilation);
    }

    [Fact]
    public void Unrelated_edit_leaves_every_output_cached_or_unchanged()
    {
        var (driver, compilation) = FirstRun(Sources.Card, "public class Other { }");
        SyntaxTree other = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(other,
            CSharpSyntaxTree.ParseText("public class Other { public int Added => 1; }", GeneratorHarness.ParseOptions, path: other.FilePath));

        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var (_, outputs) in result.TrackedOutputSteps)
        {
            Assert.All(outputs.SelectMany(o => o.Outputs), o => Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        }
        foreach (string step in Steps)
        {
            Assert.All(result.TrackedSteps[step].SelectMany(s => s.Outputs), o => Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        }
    }

    [Fact]
    public void Editing_the_model_regenerates_it()
    {
        var (driver, compilation) = FirstRun(Sources.Card);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(tree,
            CSharpSyntaxTree.ParseText(Sources.Card.Replace("Dense(10)", "Dense(12)"), GeneratorHarness.ParseOptions, path: tree.FilePath));

        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        Assert.Contains(result.TrackedSteps[TrackingNames.Declarations].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("Linear(256, 12", result.GeneratedSources.Single().SourceText.ToString());
    }

    [Fact]
    public void Same_source_twice_gives_equal_models()
    {
        var first = FirstRun(Sources.Card).Driver.GetRunResult().Results.Single();
        var second = FirstRun(Sources.Card).Driver.GetRunResult().Results.Single();
        foreach (string step in Steps)
        {
            object a = first.TrackedSteps[step].Single().Outputs.Single().Value;
            object b = second.TrackedSteps[step].Single().Outputs.Single().Value;
            Assert.Equal(a, b);
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
        }
    }

    [Fact]
    public void Pipeline_values_hold_no_symbols_syntax_or_compilations()
    {
        var result = FirstRun(Sources.Card, """
            using ModelDsl;
            using TorchSharp.Modules;
            [Model(8)]
            public partial class Blocks { [Dense(4), ReLU] public partial Sequential A { get; } }
            """).Driver.GetRunResult().Results.Single();
        foreach (string step in Steps)
        {
            foreach (var output in result.TrackedSteps[step].SelectMany(s => s.Outputs))
            {
                AssertNoRoslynObjects(output.Value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }
    }

    private static void AssertNoRoslynObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value)) return;
        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or SyntaxTree or Location,
            $"{path} holds a {value.GetType().Name}");
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items) AssertNoRoslynObjects(item, $"{path}[{i++}]", seen);
        }
        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (field.FieldType.IsPointer) continue;
            AssertNoRoslynObjects(field.GetValue(value), path + "." + field.Name, seen);
        }
    }
}
