using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ModelDsl.Testing.Tests;

/// <summary>Compiles a model and its generated part (from <see cref="GeneratedModels.FromSource"/>) into a DLL on disk with no PDB at all, and loads it.</summary>
internal static class CompiledWithoutPdb
{
    public static Type Load(string source, string assemblyName)
    {
        string[] platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var references = platform
            .Concat(new[] { typeof(ModelAttribute).Assembly.Location, typeof(TorchSharp.torch).Assembly.Location, typeof(IGeneratedModel).Assembly.Location })
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        var trees = new[] { source }.Concat(GeneratedModels.FromSource(source).Models.Select(m => m.Source)).Select(text => CSharpSyntaxTree.ParseText(text));
        CSharpCompilation output = CSharpCompilation.Create(assemblyName, trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        string path = Path.Combine(Path.GetTempPath(), $"{assemblyName}-{Guid.NewGuid():N}.dll");
        var result = output.Emit(path);
        if (!result.Success) throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
        Type? type = Assembly.LoadFrom(path).GetTypes().FirstOrDefault(t => typeof(IGeneratedModel).IsAssignableFrom(t));
        return type ?? throw new InvalidOperationException("no model in " + path);
    }
}
