using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.CodeFixes;

/// <summary>
/// Applies a code fix the way an IDE does, with Roslyn's AdhocWorkspace (Microsoft.CodeAnalysis.Testing is not in the
/// registry copy): the generator's own diagnostic on the document → the provider's registered action → the new text.
/// </summary>
public static class CodeFixHarness
{
    public static string Apply(CodeFixProvider provider, string source, string diagnosticId)
    {
        using var workspace = new AdhocWorkspace();
        CSharpCompilation template = GeneratorHarness.Compilation(source);
        Project project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "UserModels", "UserModels", LanguageNames.CSharp,
            compilationOptions: template.Options, parseOptions: GeneratorHarness.ParseOptions,
            metadataReferences: template.References));
        Document document = workspace.AddDocument(project.Id, "Model0.cs", SourceText.From(source));

        // The diagnostic comes from ModelDsl's real analyzer over the document's compilation, as in the IDE.
        Compilation compilation = document.Project.GetCompilationAsync().GetAwaiter().GetResult()!;
        ImmutableArray<Diagnostic> diagnostics = compilation
            .WithAnalyzers(ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new ModelDsl.Generator.Diagnostics.ModelAnalyzer(), new ModelDsl.Generator.Diagnostics.MissingNonlinearityAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        Diagnostic diagnostic = Assert.Single(diagnostics, d => d.Id == diagnosticId);

        var actions = ImmutableArray.CreateBuilder<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), default);
        provider.RegisterCodeFixesAsync(context).GetAwaiter().GetResult();
        CodeAction single = Assert.Single(actions);

        ApplyChangesOperation apply = single.GetOperationsAsync(default).GetAwaiter().GetResult().OfType<ApplyChangesOperation>().Single();
        Document changed = apply.ChangedSolution.GetDocument(document.Id)!;
        return changed.GetTextAsync().GetAwaiter().GetResult().ToString();
    }
}
