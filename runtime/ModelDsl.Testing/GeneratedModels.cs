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
/// compiler generated for a compiled model (from its assembly's PDB).
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
    /// A model compiled into your test assembly or any project it references: <see cref="GeneratedModel.Summary"/> is
    /// its <c>SummaryText</c> constant; <see cref="GeneratedModel.Source"/> is the very file the compiler generated, read
    /// from the portable PDB of the model's assembly (the compiler embeds generated files there), or else from the
    /// folder that ModelDsl.Testing.targets records in the assembly when that project wrote its generated files to disk.
    /// Nothing is regenerated or reconstructed, so the snapshot is what your build compiled.
    /// </summary>
    /// <exception cref="ArgumentException">The type is not a ModelDsl model.</exception>
    /// <exception cref="InvalidOperationException">
    /// Neither place holds the generated file; the message names the model's assembly (the project to change) and what
    /// it lacks.
    /// </exception>
    public static GeneratedModel FromType(Type modelType)
    {
        ArgumentNullException.ThrowIfNull(modelType);
        if (!typeof(IGeneratedModel).IsAssignableFrom(modelType)
            || modelType.GetField("SummaryText", BindingFlags.Public | BindingFlags.Static) is not { IsLiteral: true } summaryField)
        {
            throw new ArgumentException($"'{modelType.FullName}' is not a ModelDsl model: it must be a [Model] class whose generated part implements IGeneratedModel and declares SummaryText.", nameof(modelType));
        }
        string summary = (string)summaryField.GetRawConstantValue()!;

        string hintName = HintName(modelType);
        string generatorFolder = typeof(ModelGenerator).Assembly.GetName().Name + "/" + typeof(ModelGenerator).FullName;
        string? source = EmbeddedSources.Find(modelType.Assembly.Location, "/" + generatorFolder + "/" + hintName, out string pdbProblem);

        string? directory = modelType.Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == GeneratedFilesDirectoryKey)?.Value;
        string? onDisk = string.IsNullOrEmpty(directory) ? null : Path.Combine(directory, generatorFolder, hintName);
        if (source is null && onDisk is not null && File.Exists(onDisk)) source = File.ReadAllText(onDisk);

        if (source is null)
        {
            string project = modelType.Assembly.GetName().Name ?? "?";
            throw new InvalidOperationException(
                $"The generated file {hintName} of '{modelType.FullName}' was not found. The project that builds assembly '{project}' (where the model "
                + $"is declared) must keep it: {pdbProblem}"
                + (onDisk is null ? ", and the assembly records no generated-files folder." : $", and {onDisk} does not exist.")
                + $" Build '{project}' with DebugType portable or embedded (the SDK's default), or set EmitCompilerGeneratedFiles=true in it and add "
                + $"<AssemblyMetadata Include=\"{GeneratedFilesDirectoryKey}\" Value=\"$(CompilerGeneratedFilesOutputPath)\" /> "
                + "(the ModelDsl.Testing package's build/ModelDsl.Testing.targets does this for the test project itself).");
        }
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
