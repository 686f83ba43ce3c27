using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// The names the generated code adds to the class, checked against the user's (MD0054): its C# members (fields of
/// class-level layers, block backing fields, the fixed members every model gets) must not repeat a member the user
/// declared, and its child module names (state_dict prefixes, registered at run time) must be unique, or
/// register_module would throw "Sub-module … is already registered" at construction.
/// </summary>
internal static class GeneratedNames
{
    /// <summary>Members every generated model declares (ModelEmitter), besides its constructor.</summary>
    public static readonly string[] Fixed = { "SummaryText", "inputShape", "InputShape", "Summary", "RegisterComponents" };

    /// <summary>Members a model with [WeightDecay] groups declares (RegularizationEmitter).</summary>
    public static readonly string[] WeightDecay = { "weightDecayGroups", "Penalty", "ParameterGroups", "AddPenaltyGradients" };

    /// <summary>Members a model with MaxNorm constraints declares (RegularizationEmitter).</summary>
    public static readonly string[] MaxNorm = { "maxNormConstraints", "ApplyConstraints" };

    /// <summary>Members a model with token input declares (ModelEmitter, ITokenModel).</summary>
    public static readonly string[] Tokens = { "Vocabulary", "PaddingIndex", "PaddingMaskedLayers", "paddingMaskedLayers" };

    public static void Check(ModelDeclaration model, List<PlannedBlock> blocks, RegularizationPlan? regularization, List<DiagnosticInfo> diagnostics)
    {
        // Block members count too: a block named Summary, or a partial property _head (whose backing field is _head).
        var user = new HashSet<string>(model.UserMembers, System.StringComparer.Ordinal);
        string type = model.Type.TypeName;
        void Report(LocationInfo? at, string who, string what, string existing)
            => diagnostics.Add(new DiagnosticInfo(Descriptors.NameCollision.Id, at, new[] { who, what, type, existing }.ToEquatableArray()));

        var members = new List<(string Name, string Who, LocationInfo? At)>();
        foreach (string name in Fixed) members.Add((name, "ModelDsl", model.Location));
        if (!model.HasUserForward) members.Add(("forward", "ModelDsl", model.Location));
        if (regularization is { Groups.Count: > 0 }) members.AddRange(WeightDecay.Select(n => (n, "[WeightDecay]", model.Location)));
        if (regularization is { MaxNorms.Count: > 0 }) members.AddRange(MaxNorm.Select(n => (n, "MaxNorm", model.Location)));
        if (blocks.SelectMany(b => b.Layers).FirstOrDefault()?.Tokens is not null) members.AddRange(Tokens.Select(n => (n, "[Embedding]", model.Location)));

        var modules = new Dictionary<string, string>(System.StringComparer.Ordinal);
        for (int b = 0; b < blocks.Count; b++)
        {
            PlannedBlock block = blocks[b];
            BlockDeclaration declared = model.Blocks[b];
            if (block.ChildName is null)
            {
                foreach (PlannedLayer layer in block.Layers)
                {
                    members.Add((layer.Name, $"The class-level layer {layer.Display}", declared.Location));
                    modules[layer.Name] = $"the child module '{layer.Name}' (class-level layer {layer.Display})";
                }
                continue;
            }
            if (block.IsProperty) members.Add(("_" + block.ChildName, $"The block '{block.MemberName}'", declared.Location));
            if (modules.TryGetValue(block.ChildName, out string? owner))
            {
                Report(declared.Location, $"The block '{block.MemberName}'", $"the child module '{block.ChildName}'", owner);
                continue;
            }
            modules[block.ChildName] = $"the child module '{block.ChildName}' (block '{block.MemberName}')";
        }

        foreach (var (name, who, at) in members)
        {
            if (user.Contains(name)) Report(at, who, $"the member '{name}'", name == type ? $"'{name}' as its own name" : $"a member '{name}'");
        }
        if (model.EnsembleNameTaken && model.ModelOptions.FirstOrDefault(o => o.Name == "Ensemble") is { } ensemble)
        {
            Report(ensemble.Location, "[Ensemble]", $"the class '{type}Ensemble'", $"a type '{type}Ensemble' beside it");
        }
    }
}
