using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelDsl.Generator;
using ModelDsl.Generator.Diagnostics;

namespace ModelDsl.Generator.Tests.Infrastructure;

/// <summary>
/// Runs the generator over source text the way the compiler does (Mapperly's TestHelper): the compilation references
/// the framework, TorchSharp and the attributes, and the output compilation is checked for errors and warnings.
/// </summary>
public static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> references = new(() =>
    {
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var own = new[] { typeof(ModelAttribute).Assembly.Location, typeof(TorchSharp.torch).Assembly.Location, typeof(Initializers).Assembly.Location };
        return platform.Concat(own).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Preview);

    public static CSharpCompilation Compilation(params string[] sources) => Compilation(ParseOptions, sources);

    public static CSharpCompilation Compilation(CSharpParseOptions options, params string[] sources)
        => CSharpCompilation.Create(
            "UserModels",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, options, path: $"Model{i}.cs")),
            references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(bool trackSteps = false, CSharpParseOptions? options = null)
        => CSharpGeneratorDriver.Create(
            new[] { new ModelGenerator().AsSourceGenerator() },
            parseOptions: options ?? ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator and ModelDsl's analyzers (which report the model diagnostics); returns generated files, generator + analyzer diagnostics and the output compilation's own.</summary>
    public static GeneratorResult Run(params string[] sources) => Run(ParseOptions, sources);

    /// <summary>
    /// Generates <paramref name="source"/> (which must generate cleanly), compiles it with the generated files, loads the
    /// assembly and builds <paramref name="type"/> with seed 1: a real model to run on tensors.
    /// </summary>
    public static T Instantiate<T>(string source, string type = "Net") where T : class
    {
        GeneratorResult result = Run(source).AssertClean();
        Compilation compilation = Compilation(source).AddSyntaxTrees(result.RunResult.GeneratedTrees);
        using var image = new MemoryStream();
        if (!compilation.Emit(image).Success) throw new InvalidOperationException("The source and its generated files do not compile.");
        return (T)Activator.CreateInstance(System.Reflection.Assembly.Load(image.ToArray()).GetType(type)!, new object?[] { 1L, null, null })!;
    }

    /// <summary><see cref="Run(string[])"/> with the given parse options (a language version).</summary>
    public static GeneratorResult Run(CSharpParseOptions options, params string[] sources)
    {
        CSharpCompilation compilation = Compilation(options, sources);
        GeneratorDriver driver = Driver(options: options).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorDriverRunResult run = driver.GetRunResult();
        var analyzerDiagnostics = output
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new LayerOutsideModelAnalyzer(), new ModelAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        var compilerDiagnostics = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        return new GeneratorResult(
            run.GeneratedTrees.ToDictionary(t => Path.GetFileName(t.FilePath), t => t.GetText().ToString()),
            generatorDiagnostics.Concat(analyzerDiagnostics).ToImmutableArray(),
            compilerDiagnostics,
            run);
    }
}

public sealed record GeneratorResult(
    IReadOnlyDictionary<string, string> Files,
    ImmutableArray<Diagnostic> Diagnostics,
    ImmutableArray<Diagnostic> CompilerDiagnostics,
    GeneratorDriverRunResult RunResult)
{
    /// <summary>Asserts the generator reported nothing and the generated code compiles with zero warnings.</summary>
    public GeneratorResult AssertClean()
    {
        Xunit.Assert.True(Diagnostics.IsEmpty, "generator diagnostics: " + string.Join("\n", Diagnostics));
        Xunit.Assert.True(CompilerDiagnostics.IsEmpty, "compiler diagnostics: " + string.Join("\n", CompilerDiagnostics));
        return this;
    }

    public string Single() => Xunit.Assert.Single(Files).Value;

    /// <summary>
    /// Asserts no model was generated, only the public surface a model with errors gets (issue #23: members that throw),
    /// and that nothing the compiler reports sits in a generated file.
    /// </summary>
    public GeneratorResult AssertOnlySurface()
    {
        foreach (var (hint, text) in Files) Xunit.Assert.True(text.Contains("was not generated because of the ModelDsl error"), hint + " is not a surface:\n" + text);
        Xunit.Assert.DoesNotContain(CompilerDiagnostics, d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true);
        return this;
    }
}
