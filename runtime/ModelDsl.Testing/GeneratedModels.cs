using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator;
using ModelDsl.Generator.Diagnostics;

namespace ModelDsl.Testing;

/// <summary>
/// The generated source and summary of ModelDsl models, for snapshot tests:
/// <see cref="FromSource"/> runs the generator in memory over source text; <see cref="FromType"/> reads back what the
/// compiler generated for a model compiled into a test assembly.
/// </summary>
public static class GeneratedModels
{
    /// <summary>Name of the assembly metadata that ModelDsl.Testing.targets writes into a test assembly.</summary>
    public const string GeneratedFilesDirectoryKey = "ModelDsl.GeneratedFilesDirectory";

    private static readonly Lazy<ImmutableArray<MetadataReference>> references = new(() =>
    {
        string[] platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var own = new[] { typeof(ModelAttribute).Assembly.Location, typeof(TorchSharp.torch).Assembly.Location, typeof(Initializers).Assembly.Location };
        return platform.Concat(own).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    /// <summary>
    /// Runs the ModelDsl generator over <paramref name="sources"/> (C# files, e.g. a model declaration) against the
    /// framework, TorchSharp and ModelDsl, and returns every generated model with the generator's diagnostics.
    /// </summary>
    public static GeneratorRun FromSource(params string[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var parseOptions = new CSharpParseOptions(LanguageVersion.Preview);
        CSharpCompilation compilation = CSharpCompilation.Create(
            "ModelDslTestingInMemory",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parseOptions, path: $"Model{i}.cs")),
            references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new ModelGenerator().AsSourceGenerator() }, parseOptions: parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        // Model diagnostics come from ModelDsl's analyzers (as in a real build), over the compilation with generated code.
        ImmutableArray<Diagnostic> diagnostics = generatorDiagnostics.AddRange(output
            .WithAnalyzers(ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new ModelAnalyzer(), new LayerOutsideModelAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult());

        var models = driver.GetRunResult().Results
            .SelectMany(r => r.GeneratedSources)
            .OrderBy(s => s.HintName, StringComparer.Ordinal)
            .Select(s => Describe(s.HintName, s.SourceText.ToString()))
            .ToList();
        return new GeneratorRun(models, diagnostics.Select(d => d.ToString()).ToList());
    }

    /// <summary>The model <typeparamref name="TModel"/> as the compiler generated it; see <see cref="FromType(Type)"/>.</summary>
    public static GeneratedModel FromType<TModel>() where TModel : IGeneratedModel => FromType(typeof(TModel));

    /// <summary>
    /// A model compiled into your test assembly: <see cref="GeneratedModel.Summary"/> is its <c>SummaryText</c>
    /// constant; <see cref="GeneratedModel.Source"/> is the very file the compiler generated, read from the directory
    /// that ModelDsl.Testing.targets (imported by the ModelDsl.Testing package) records in the assembly. Nothing is
    /// regenerated or reconstructed, so the snapshot is what your build compiled.
    /// </summary>
    public static GeneratedModel FromType(Type modelType)
    {
        ArgumentNullException.ThrowIfNull(modelType);
        if (!typeof(IGeneratedModel).IsAssignableFrom(modelType)
            || modelType.GetField("SummaryText", BindingFlags.Public | BindingFlags.Static) is not { IsLiteral: true } summaryField)
        {
            throw new ArgumentException($"'{modelType.FullName}' is not a ModelDsl model: it must be a [Model] class whose generated part implements IGeneratedModel and declares SummaryText.", nameof(modelType));
        }
        string summary = (string)summaryField.GetRawConstantValue()!;

        string? directory = modelType.Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == GeneratedFilesDirectoryKey)?.Value;
        if (string.IsNullOrEmpty(directory))
        {
            throw new InvalidOperationException(
                $"The assembly '{modelType.Assembly.GetName().Name}' does not say where its generated files are. Reference the ModelDsl.Testing "
                + "package from the test project (its build targets set EmitCompilerGeneratedFiles=true and record the folder), "
                + $"or add <AssemblyMetadata Include=\"{GeneratedFilesDirectoryKey}\" Value=\"<CompilerGeneratedFilesOutputPath>\" /> yourself.");
        }

        string hintName = HintName(modelType);
        string path = Path.Combine(directory, typeof(ModelGenerator).Assembly.GetName().Name!, typeof(ModelGenerator).FullName!, hintName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The generated file of '{modelType.FullName}' is not at {path}; was the test project built with EmitCompilerGeneratedFiles=true?", path);
        }
        string source = File.ReadAllText(path);
        return new GeneratedModel(FullName(modelType), hintName, source, summary);
    }

    /// <summary>The generator's hint name: namespace, then each containing type's metadata name, then the type's (Parsing/ModelParser.cs).</summary>
    private static string HintName(Type type)
    {
        var names = new List<string>();
        for (Type? t = type; t is not null; t = t.DeclaringType) names.Insert(0, t.Name);
        return (string.IsNullOrEmpty(type.Namespace) ? "" : type.Namespace + ".") + string.Join(".", names) + ".g.cs";
    }

    private static string FullName(Type type) => (type.FullName ?? type.Name).Replace('+', '.');

    /// <summary>Reads the type name and the SummaryText constant out of a generated file.</summary>
    private static GeneratedModel Describe(string hintName, string source)
    {
        CompilationUnitSyntax root = CSharpSyntaxTree.ParseText(source).GetCompilationUnitRoot();
        VariableDeclaratorSyntax? summary = root.DescendantNodes().OfType<VariableDeclaratorSyntax>().FirstOrDefault(v => v.Identifier.ValueText == "SummaryText");
        string summaryText = summary?.Initializer?.Value is LiteralExpressionSyntax literal ? literal.Token.ValueText : "";
        TypeDeclarationSyntax? model = summary?.Ancestors().OfType<TypeDeclarationSyntax>().FirstOrDefault();
        string typeName = model is null ? hintName : string.Join(".",
            model.AncestorsAndSelf().Select(n => n switch
            {
                TypeDeclarationSyntax t => t.Identifier.ValueText,
                BaseNamespaceDeclarationSyntax ns => ns.Name.ToString(),
                _ => null,
            }).Where(n => n is not null).Reverse());
        return new GeneratedModel(typeName, hintName, source, summaryText);
    }
}
