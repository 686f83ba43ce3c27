using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// Decides the public surface a model with ModelDsl errors still gets (<see cref="SurfacePlan"/>), so the build's
/// errors are the MD ones and not CS1739/CS1061/CS9248 in the user's code. None when the declaration itself cannot take
/// a generated part (not partial, C# below 9, not a plain class, a base class of its own): the generated part would
/// then be an error of its own.
/// </summary>
internal static class SurfacePlanner
{
    private static readonly HashSet<string> NoPart = new()
    {
        Descriptors.NotPartial.Id, Descriptors.LanguageVersionTooLow.Id, Descriptors.UnsupportedDeclaration.Id, Descriptors.ModelHasBaseClass.Id,
    };

    public static SurfacePlan? Plan(ModelDeclaration model, IReadOnlyList<DiagnosticInfo> diagnostics)
    {
        if (diagnostics.Any(d => NoPart.Contains(d.Id))) return null;
        string type = model.Type.TypeName;
        string message = Message(type, diagnostics);

        var members = new List<string>();
        bool Add(GeneratedNames.Member member)
        {
            if (GeneratedNames.Clash(model, member) is not null) return false;
            members.Add(member.Kind == GeneratedNames.Kind.Constructor ? ".ctor" : member.Name);
            return true;
        }
        bool AddAll(IEnumerable<GeneratedNames.Member> group) => group.Select(Add).ToList().All(added => added);

        // Without forward the class cannot derive from Module<Tensor, Tensor> (CS0534), so it gets no base class then.
        bool declaresBase = model.HasUserForward || Add(GeneratedNames.ForwardOf(model));
        // A graph model's surface keeps its signature: forward over its inputs, returning the Outputs record for several outputs.
        var inputs = model.Inputs.Count > 1 ? GeneratedNames.InputNames(model) : EquatableArray<string>.Empty;
        var outputs = model.Blocks.Count(b => b.IsOutput) > 1 && !model.Blocks.Any(b => b.IsOutput && b.MemberName is null)
            ? model.Blocks.Where(b => b.IsOutput).Select(b => b.MemberName!).ToEquatableArray()
            : EquatableArray<string>.Empty;
        bool constructor = Add(GeneratedNames.Constructor(type));
        GeneratedNames.Member Fixed(string name) => GeneratedNames.Fixed.First(m => m.Name == name);
        Add(Fixed("SummaryText")); // the message, as a constant
        // Summary(int) goes by its own key in the member list, so the surface can leave out either overload; IGeneratedModel needs both.
        bool summaryAtDepth = GeneratedNames.Clash(model, GeneratedNames.Fixed.Single(m => m.Name == "Summary" && m.Parameters != Fixed("Summary").Parameters)) is null;
        bool generated = Add(Fixed("InputShape")) & Add(Fixed("Summary")) & summaryAtDepth;
        if (summaryAtDepth) members.Add("Summary(int)");

        var interfaces = new List<string>();
        if (generated)
        {
            interfaces.Add("global::ModelDsl.IGeneratedModel");
            if (!model.HasUserForward && declaresBase) interfaces.Add("global::ModelDsl.Onnx.IOnnxExportable");
            if (model.Blocks.FirstOrDefault()?.Layers.FirstOrDefault()?.Name == "Embedding" && AddAll(GeneratedNames.Tokens))
                interfaces.Add("global::ModelDsl.ITokenModel");
        }
        if (model.ModelOptions.Any(o => o.Name == "WeightDecay") && AddAll(GeneratedNames.WeightDecay.Where(m => m.Kind == GeneratedNames.Kind.Method)))
            interfaces.Add("global::ModelDsl.IWeightDecayModel");
        if (model.Blocks.SelectMany(b => b.Layers).Any(l => l.Find("MaxNorm") is not null) && Add(GeneratedNames.MaxNorm.Single(m => m.Name == "ApplyConstraints")))
            interfaces.Add("global::ModelDsl.IConstrainedModel");

        SurfaceEnsemble? ensemble = declaresBase && generated && constructor && inputs.Count == 0 && outputs.Count == 0 ? Ensemble(model) : null;

        var get = new[] { "get" }.ToEquatableArray();
        var properties = model.Blocks.Where(b => b.Property is not null).Select(b => new SurfaceProperty(b.MemberName!, b.Property!, get)).Concat(model.BrokenBlockProperties);
        return new SurfacePlan(model.Type, message, declaresBase, members.ToEquatableArray(), interfaces.ToEquatableArray(), properties.ToEquatableArray())
        {
            FileScopedNamespace = model.FileScopedNamespace,
            Obsolete = model.Obsolete,
            Ensemble = ensemble,
            Fields = model.Blocks.Where(b => b.MemberName is not null && b.Property is null).Select(b => b.MemberName!).ToEquatableArray(),
            Inputs = inputs,
            Outputs = outputs,
        };
    }

    /// <summary>
    /// The surface of a generated model whose [Ensemble] has an error (MD0040, MD0042, MD0044): the ensemble alone, so
    /// <c>new NetEnsemble(…)</c> still compiles. Null when there is no [Ensemble] or its name is taken.
    /// </summary>
    public static SurfacePlan? EnsembleOnly(ModelPlan plan, ModelDeclaration model, IReadOnlyList<DiagnosticInfo> diagnostics)
    {
        if (plan.Ensemble is not null || Ensemble(model) is not { } ensemble) return null;
        var none = EquatableArray<string>.Empty;
        return new SurfacePlan(model.Type, Message(ensemble.TypeName, diagnostics), true, none, none, EquatableArray<SurfaceProperty>.Empty)
        {
            FileScopedNamespace = model.FileScopedNamespace,
            Obsolete = model.Obsolete,
            Ensemble = ensemble,
            IncludesModel = false,
        };
    }

    private static SurfaceEnsemble? Ensemble(ModelDeclaration model)
    {
        if (model.ModelOptions.FirstOrDefault(o => o.Name == "Ensemble") is not { } option || model.EnsembleConflict is not null) return null;
        double k = option.Number("Members", 0);
        return new SurfaceEnsemble(model.Type.TypeName + "Ensemble", k >= EnsemblePlanner.MinMembers && k <= EnsemblePlanner.MaxMembers ? (int)k : null);
    }

    private static string Message(string subject, IReadOnlyList<DiagnosticInfo> diagnostics)
    {
        var errors = diagnostics.Where(d => Descriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error).Select(d => d.Id)
            .Distinct().OrderBy(id => id, System.StringComparer.Ordinal).ToList();
        return $"'{subject}' was not generated because of the ModelDsl error{(errors.Count == 1 ? "" : "s")} {string.Join(", ", errors)}; fix {(errors.Count == 1 ? "it" : "them")} and rebuild";
    }
}
