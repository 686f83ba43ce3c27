using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Planning;
using ModelDsl.Generator.Weights;

using ModelDsl.Weights;

namespace ModelDsl.Generator.Diagnostics;

/// <summary>
/// [Model(..., WeightsFile = "mnist.safetensors")]: the AdditionalFile of that name is a safetensors file whose header
/// must hold exactly the model's planned state_dict (<see cref="StateDictPlan"/>): one diagnostic per missing key
/// (MD0102), unexpected key (MD0103), other shape (MD0104) and other dtype (MD0105), at the WeightsFile argument; MD0100
/// when the build has no such file, MD0101 when its header cannot be read. It is checked in the analyzer, with the
/// other model diagnostics: the file changes no generated code, so the generator's pipeline never reads it.
/// [RenameWeights(file, model)] prefixes map the file's keys to the model's first (KeyPrefix, the runtime's rule); a model
/// prefix no planned key has is MD0106 on its argument, whether or not a file is named, and sides with different numbers of
/// {n} MD0107.
/// </summary>
internal static class WeightsFileCheck
{
    /// <summary>The named argument of [Model] that names the file.</summary>
    public const string Option = "WeightsFile";

    /// <summary>What ModelDsl's build appends to a weights file's name for the AdditionalFile that holds its header JSON.</summary>
    public const string HeaderSuffix = ".header.json";

    public static IEnumerable<Diagnostic> Check(AttributeData model, ModelDeclaration declaration, ModelPlan plan, SymbolAnalysisContext context, string? helpRoot)
    {
        CancellationToken cancellationToken = context.CancellationToken;
        var planned = StateDictPlan.Of(plan).ToList();
        var renames = new List<(KeyPrefix File, KeyPrefix Model)>();
        foreach (AttributeDeclaration rename in declaration.ModelOptions.Where(o => o.Name == RenameAttribute))
        {
            if (rename.Text("File") is not { } from || rename.Text("Model") is not { } to) continue;
            var pair = (File: new KeyPrefix(from), Model: new KeyPrefix(to));
            Location at = (rename.Find("Model")?.Location ?? rename.Location)?.ToLocation(context.Compilation) ?? Location.None;
            if (pair.File.Placeholders != pair.Model.Placeholders)
            {
                yield return Diagnostic.Create(HelpLinks.For(Descriptors.WeightsRenamePlaceholders, helpRoot), at, from, to, plan.Type.TypeName, pair.File.Placeholders, pair.Model.Placeholders);
                continue;
            }
            renames.Add(pair);
            if (planned.Any(t => pair.Model.Fits(t.Key, out _, out _))) continue;
            string example = planned.Count == 0 ? "(the model has no tensors)" : planned[0].Key.Substring(0, System.Math.Max(0, planned[0].Key.LastIndexOf('.')));
            yield return Diagnostic.Create(HelpLinks.For(Descriptors.WeightsRenameUnused, helpRoot), at, from, to, plan.Type.TypeName, example);
        }

        string? name = null;
        foreach (KeyValuePair<string, TypedConstant> argument in model.NamedArguments)
        {
            if (argument.Key == Option) name = argument.Value.Value as string;
        }
        if (name is null) yield break;
        Location location = ArgumentLocation(model, cancellationToken);
        string modelName = plan.Type.TypeName;
        Diagnostic Report(DiagnosticDescriptor descriptor, params object[] arguments) => Diagnostic.Create(HelpLinks.For(descriptor, helpRoot), location, arguments);

        // The header the build extracted (build/Package/ModelDsl.Weights.targets), else the file itself where a host reads it as text.
        ImmutableArray<AdditionalText> files = context.Options.AdditionalFiles;
        // The build names the header after the file's name alone (weights/mnist.safetensors → mnist.safetensors.header.json).
        string fileName = name.Replace('\\', '/').Substring(name.Replace('\\', '/').LastIndexOf('/') + 1);
        AdditionalText? file = files.FirstOrDefault(f => Matches(f.Path, fileName + HeaderSuffix)) ?? files.FirstOrDefault(f => Matches(f.Path, name));
        if (file is null)
        {
            yield return Report(Descriptors.WeightsFileNotGiven, name, modelName);
            yield break;
        }
        string problem = "the compiler does not read a binary file as text (CS2015); give it to the build as <ModelDslWeightsFile Include=\"...\" />, which hands the analyzer its header, instead of as an AdditionalFile";
        SourceText? text = file.GetText(cancellationToken);
        if (text is null || SafetensorsHeader.Parse(text.ToString(), out problem) is not { } header)
        {
            yield return Report(Descriptors.WeightsFileUnreadable, name, modelName, problem);
            yield break;
        }

        // The file's tensors under the model's names (the longest [RenameWeights] prefix that fits), each with its name in the file.
        var inFile = new Dictionary<string, (string FileKey, string DType, long[] Shape)>(System.StringComparer.Ordinal);
        foreach (KeyValuePair<string, (string DType, long[] Shape)> entry in header.Tensors)
            inFile[KeyPrefix.Rename(entry.Key, renames)] = (entry.Key, entry.Value.DType, entry.Value.Shape);
        var declared = new HashSet<string>(planned.Select(t => t.Key), System.StringComparer.Ordinal);
        foreach (PlannedTensor tensor in planned)
        {
            if (!inFile.TryGetValue(tensor.Key, out var found))
            {
                yield return Report(Descriptors.WeightsMissing, name, tensor.Key, modelName, tensor.SafetensorsType, tensor.FormattedShape);
                continue;
            }
            if (!found.Shape.SequenceEqual(tensor.Shape))
                yield return Report(Descriptors.WeightsShape, found.FileKey, name, Format(found.Shape), modelName, tensor.FormattedShape);
            if (found.DType != tensor.SafetensorsType)
                yield return Report(Descriptors.WeightsDtype, found.FileKey, name, found.DType, modelName, tensor.SafetensorsType);
        }
        foreach (var extra in inFile.Where(t => !declared.Contains(t.Key)).Select(t => t.Value).OrderBy(t => t.FileKey, System.StringComparer.Ordinal))
            yield return Report(Descriptors.WeightsUnexpected, name, extra.FileKey, extra.DType, Format(extra.Shape), modelName);
    }

    /// <summary>The attribute that maps file prefixes to model prefixes (runtime: ModelDsl.Weights.WeightRenames, the same rule).</summary>
    private const string RenameAttribute = "RenameWeights";

    private static string Format(long[] shape) => new PlannedTensor("", shape.ToEquatableArray(), TensorElement.Float32).FormattedShape;

    /// <summary>True when <paramref name="path"/> is the file <paramref name="name"/> names: the same path, or one ending in it after a directory separator.</summary>
    private static bool Matches(string path, string name)
    {
        string p = path.Replace('\\', '/'), n = name.Replace('\\', '/');
        return p == n || p.EndsWith("/" + n.TrimStart('/'), System.StringComparison.Ordinal);
    }

    private static Location ArgumentLocation(AttributeData model, CancellationToken cancellationToken)
    {
        SyntaxNode? syntax = model.ApplicationSyntaxReference?.GetSyntax(cancellationToken);
        if (syntax is AttributeSyntax { ArgumentList: { } list })
        {
            foreach (AttributeArgumentSyntax argument in list.Arguments)
            {
                if (argument.NameEquals?.Name.Identifier.Text == Option) return argument.GetLocation();
            }
        }
        return syntax?.GetLocation() ?? Location.None;
    }
}
