using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Testing;
using Xunit;

namespace ModelDsl.Consumer.Tests.Docs;

/// <summary>
/// Every ```csharp block of README.md, docs/ and the package READMEs compiles with the generator's output against ModelDsl, ModelDsl.Extras,
/// ModelDsl.Testing, TorchSharp, xunit and Snapshooter (what this project references), with nullable enabled and no
/// warning; groups marked <c>run</c> run. So a doc cannot drift from the code: rename an API and this fails.
/// </summary>
public class DocBlockTests
{
    /// <summary>
    /// Warnings a doc may show: a snippet's variable the reader uses next is "unused" to the compiler (CS0168, CS0219);
    /// CS1701/CS1702 (assembly version unification) are the .NET SDK's default NoWarn.
    /// </summary>
    private static readonly string[] AllowedWarnings = { "CS0168", "CS0219", "CS1701", "CS1702" };

    public static TheoryData<string, string> Groups()
    {
        var data = new TheoryData<string, string>();
        foreach (var group in DocBlock.All(RepositoryRoot()).Select(b => (b.Document, b.Group)).Distinct()) data.Add(group.Document, group.Group);
        return data;
    }

    [Fact]
    public void Docs_have_csharp_blocks_and_every_one_is_in_a_group()
    {
        IReadOnlyList<DocBlock> blocks = DocBlock.All(RepositoryRoot());
        Assert.True(blocks.Count >= 10, $"only {blocks.Count} C# blocks found: is the pattern still right?");
        Assert.Contains(blocks, b => b.Document == "docs/getting-started.md" && b.Run);
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void Block_group_compiles_and_runs_where_marked(string document, string group)
    {
        DocBlock[] blocks = DocBlock.All(RepositoryRoot()).Where(b => b.Document == document && b.Group == group).ToArray();
        string[] sources = blocks.Select(b => b.Source).ToArray();
        GeneratorRun generated = GeneratedModels.FromSource(sources);

        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parse, path: $"{document}:{blocks[i].Line}"))
            .Concat(generated.Models.Select(m => CSharpSyntaxTree.ParseText(m.Source, parse, path: m.HintName)));
        bool hasMain = trees.Any(t => t.GetCompilationUnitRoot().Members.Any(m => m is Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax));
        CSharpCompilation compilation = CSharpCompilation.Create("Doc" + Guid.NewGuid().ToString("N")[..8], trees, References.Value,
            new CSharpCompilationOptions(hasMain ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var problems = result.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && !AllowedWarnings.Contains(d.Id)))
            .ToList();
        Assert.True(problems.Count == 0, $"{document} ({group}) does not compile:\n{string.Join("\n", problems)}");

        if (blocks.Any(b => b.Run))
        {
            Assert.True(hasMain, $"{document} ({group}) is marked run but has no top-level statements");
            var context = new AssemblyLoadContext(compilation.AssemblyName, isCollectible: true);
            try
            {
                image.Position = 0;
                MethodInfo entry = context.LoadFromStream(image).EntryPoint!;
                entry.Invoke(null, entry.GetParameters().Length == 0 ? null : new object[] { Array.Empty<string>() });
            }
            finally
            {
                context.Unload();
            }
        }
    }

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray());

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelDsl.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("ModelDsl.sln not found above " + AppContext.BaseDirectory);
    }
}
