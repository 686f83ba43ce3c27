using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// The names the generated code adds to the class, checked against what the user declared: a generated field, property
/// or constant must not share its name with any user member, nested type, type parameter or the class itself (MD0054);
/// a generated method or constructor must not have the parameter types of a user's one of the same name (MD0080; an
/// overload is fine), nor a generated property's getter those of a user method <c>get_X()</c>. Each error is at the
/// user's declaration, which is what the compiler would otherwise report inside the generated file (CS0102, CS0111,
/// CS0542, CS0082). Child module names (state_dict prefixes, registered at run time) must be unique too, or
/// register_module would throw "Sub-module … is already registered" at construction (MD0054 at the block).
/// </summary>
internal static class GeneratedNames
{
    /// <summary>What a generated member is, for the kind of clash it can have.</summary>
    public enum Kind { Field, Property, Method, Constructor }

    /// <summary>
    /// One generated member: its name, what generates it ("ModelDsl", "The block 'Head'"), its kind and, for a method or
    /// constructor, its <see cref="Signature"/>.
    /// </summary>
    public sealed record Member(string Name, string Who, Kind Kind, string? Parameters = null);

    /// <summary>The parameter types of the generated constructor (seed, device, dtype), as <see cref="Signature"/> writes them.</summary>
    public static readonly string ConstructorSignature = Signature(0, new[] { "long?", "global::TorchSharp.torch.Device", "global::TorchSharp.torch.ScalarType?" });

    private static readonly string NoParameters = Signature(0, System.Array.Empty<string>());

    /// <summary>Members every generated model declares (ModelEmitter), besides its constructor and forward.</summary>
    public static readonly Member[] Fixed =
    {
        new("SummaryText", "ModelDsl", Kind.Field), new("inputShape", "ModelDsl", Kind.Field),
        new("InputShape", "ModelDsl", Kind.Property), new("Summary", "ModelDsl", Kind.Method, NoParameters),
        new("Summary", "ModelDsl", Kind.Method, Signature(0, new[] { "int" })),
        // The override that keeps a nested model from registering its blocks twice (TorchSharp's RegisterComponents).
        new("RegisterComponents", "ModelDsl", Kind.Method, NoParameters),
    };

    /// <summary>The constant that holds the architecture table folded to <paramref name="depth"/> (ModelEmitter's Summary(int depth)).</summary>
    public static string SummaryAtDepth(int depth) => "SummaryDepth" + depth;

    /// <summary>The generated forward (ModelEmitter), unless the class writes its own.</summary>
    public static readonly Member Forward = new("forward", "ModelDsl", Kind.Method, Signature(0, new[] { "global::TorchSharp.torch.Tensor" }));

    /// <summary>The generated forward of <paramref name="model"/>: one Tensor parameter per input of a graph model.</summary>
    public static Member ForwardOf(ModelDeclaration model)
        => model.Inputs.Count <= 1 ? Forward : new("forward", "ModelDsl", Kind.Method, Signature(0, Enumerable.Repeat("global::TorchSharp.torch.Tensor", model.Inputs.Count)));

    /// <summary>The forward parameters of a graph model's surface: the declared input names (a placeholder where one is no identifier).</summary>
    public static EquatableArray<string> InputNames(ModelDeclaration model)
        => model.Inputs.Select((input, i) => Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(input.Name) ? input.Name : "input" + i).Distinct().Count() == model.Inputs.Count
            ? model.Inputs.Select((input, i) => Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(input.Name) ? input.Name : "input" + i).ToEquatableArray()
            : model.Inputs.Select((_, i) => "input" + i).ToEquatableArray();

    /// <summary>The generated constructor (ModelEmitter).</summary>
    public static Member Constructor(string type) => new(type, "ModelDsl", Kind.Constructor, ConstructorSignature);

    /// <summary>Members a model with [WeightDecay] groups declares (RegularizationEmitter).</summary>
    public static readonly Member[] WeightDecay =
    {
        new("weightDecayGroups", "[WeightDecay]", Kind.Field), new("Penalty", "[WeightDecay]", Kind.Method, NoParameters),
        new("ParameterGroups", "[WeightDecay]", Kind.Method, NoParameters), new("AddPenaltyGradients", "[WeightDecay]", Kind.Method, NoParameters),
    };

    /// <summary>Members a model with MaxNorm constraints declares (RegularizationEmitter).</summary>
    public static readonly Member[] MaxNorm = { new("maxNormConstraints", "MaxNorm", Kind.Field), new("ApplyConstraints", "MaxNorm", Kind.Method, NoParameters) };

    /// <summary>Members a model with token input declares (ModelEmitter, ITokenModel).</summary>
    public static readonly Member[] Tokens =
    {
        new("Vocabulary", "[Embedding]", Kind.Property), new("PaddingIndex", "[Embedding]", Kind.Property), new("PaddingMaskedLayers", "[Embedding]", Kind.Property),
    };

    /// <summary>Members a causal token model of variable length declares (ModelEmitter, ICausalLanguageModel).</summary>
    public static readonly Member[] Generation =
    {
        new("Context", "[Model(Context = …)]", Kind.Property), new("tokenGenerator", "[Model(Context = …)]", Kind.Field),
        new("Generate", "[Model(Context = …)]", Kind.Method, Signature(0, new[] { "global::TorchSharp.torch.Tensor", "int", "double", "int?", "long?", "bool" })),
    };

    /// <summary>The table of mask-reading layers, which a token model declares when it has some (ModelEmitter).</summary>
    public static readonly Member PaddingMaskedField = new("paddingMaskedLayers", "[Embedding]", Kind.Field);

    private static readonly HashSet<string> MethodNames = new(
        Fixed.Concat(WeightDecay).Concat(MaxNorm).Append(Forward).Where(m => m.Kind == Kind.Method).Select(m => m.Name), System.StringComparer.Ordinal);

    /// <summary>True for a name a generated method takes, or a generated property's getter (get_X): the parser keeps the parameter types of user methods with such names.</summary>
    public static bool IsMethodName(string name) => MethodNames.Contains(name) || name.StartsWith("get_", System.StringComparison.Ordinal);

    /// <summary>A method's identity for overloading: generic arity and parameter types (ref, in and out alike).</summary>
    public static string Signature(int arity, IEnumerable<string> parameterTypes) => arity + "|" + string.Join(",", parameterTypes);

    /// <summary>
    /// The user's declaration the generated member clashes with, and the diagnostic it gets (MD0054 for a name, MD0080
    /// for a signature); null when there is none. Shared by the check and by the surface a model with errors gets,
    /// which leaves out what would clash.
    /// </summary>
    public static (UserMember User, string Id)? Clash(ModelDeclaration model, Member generated)
    {
        foreach (UserMember user in model.UserMembers)
        {
            if (generated.Kind == Kind.Constructor)
            {
                if (user.Kind == UserMemberKind.Constructor && user.Parameters == generated.Parameters) return (user, Descriptors.SignatureCollision.Id);
                if (user.Kind == UserMemberKind.Constructor) continue;
            }
            if (user.Kind == UserMemberKind.Constructor) continue;
            if (generated.Kind == Kind.Property && user.Kind == UserMemberKind.Method && user.Name == "get_" + generated.Name && user.Parameters == NoParameters)
                return (user, Descriptors.SignatureCollision.Id);
            if (user.Name != generated.Name || generated.Kind == Kind.Constructor) continue;
            if (generated.Kind == Kind.Method && user.Kind == UserMemberKind.Method)
            {
                if (user.Parameters == generated.Parameters) return (user, Descriptors.SignatureCollision.Id);
                continue; // an overload
            }
            return (user, Descriptors.NameCollision.Id);
        }
        return null;
    }

    /// <summary>How a diagnostic names the generated member: "the member '_head'", "the constructor Net(long? seed, …)".</summary>
    public static string Describe(Member generated) => generated.Kind switch
    {
        Kind.Constructor => $"the constructor {generated.Name}(long? seed, Device? device, ScalarType? dtype)",
        Kind.Method => $"the method {generated.Name}({(generated.Name == "forward" ? "Tensor input" : "")})",
        _ => $"the member '{generated.Name}'",
    };

    public static void Check(ModelDeclaration model, List<PlannedBlock> blocks, RegularizationPlan? regularization, List<DiagnosticInfo> diagnostics)
    {
        string type = model.Type.TypeName;
        void Report(string id, LocationInfo? at, string who, string what, string existing)
            => diagnostics.Add(new DiagnosticInfo(id, at, new[] { who, what, type, existing }.ToEquatableArray()));

        var members = new List<Member>(Fixed) { Constructor(type) };
        int deepest = SummaryFold.Deepest(blocks);
        for (int depth = 1; depth < deepest; depth++) members.Add(new Member(SummaryAtDepth(depth), "ModelDsl", Kind.Field));
        if (!model.HasUserForward) members.Add(Forward);
        if (regularization is { Groups.Count: > 0 }) members.AddRange(WeightDecay);
        if (regularization is { MaxNorms.Count: > 0 }) members.AddRange(MaxNorm);
        if (blocks.SelectMany(b => b.Layers).Any(l => l.Tokens is not null)) // ITokenModel's members, for a model with an Embedding
        {
            members.AddRange(Tokens);
            if (blocks.Any(b => b.Layers.Any(l => l.UsesPaddingMask))) members.Add(PaddingMaskedField);
            if (model.Context is not null) members.AddRange(Generation);
        }

        if (GraphPlanner.IsGraph(model))
        {
            // The graph's data and, for several inputs or outputs, the input shapes and the Outputs record (GraphEmitter).
            members.Add(new Member("graph", "ModelDsl", Kind.Field));
            members.Add(new Member("Graph", "ModelDsl", Kind.Property));
            members.Add(new Member("Forward", "ModelDsl", Kind.Method, Signature(0, new[] { "global::System.Collections.Generic.IReadOnlyList<global::TorchSharp.torch.Tensor>" })));
            if (model.Inputs.Count > 1) members.Add(new Member("inputShapes", "ModelDsl", Kind.Field));
            if (model.Blocks.Count(b => b.IsOutput) > 1) members.Add(new Member("Outputs", "[Output]", Kind.Field));
            if (!model.HasUserForward)
            {
                members.Remove(Forward);
                members.Add(ForwardOf(model));
            }
        }

        var modules = new Dictionary<string, string>(System.StringComparer.Ordinal);
        for (int b = 0; b < blocks.Count; b++)
        {
            PlannedBlock block = blocks[b];
            BlockDeclaration declared = model.Blocks[b];
            if (block.ChildName is null)
            {
                foreach (PlannedLayer layer in block.Layers)
                {
                    members.Add(new Member(layer.Name, $"The class-level layer {layer.Display}", Kind.Field));
                    modules[layer.Name] = $"the child module '{layer.Name}' (class-level layer {layer.Display})";
                }
                continue;
            }
            if (block.IsProperty) members.Add(new Member("_" + block.ChildName, $"The block '{block.MemberName}'", Kind.Field));
            if (modules.TryGetValue(block.ChildName, out string? owner))
            {
                Report(Descriptors.NameCollision.Id, declared.Location, $"The block '{block.MemberName}'", $"the child module '{block.ChildName}'", owner);
                continue;
            }
            modules[block.ChildName] = $"the child module '{block.ChildName}' (block '{block.MemberName}')";
        }

        var reported = new HashSet<UserMember>(); // one error per user member, though two overloads (Summary(), Summary(int)) meet it
        foreach (Member member in members)
        {
            if (Clash(model, member) is not { } clash || !reported.Add(clash.User)) continue;
            string what = member.Kind == Kind.Property && clash.User.Name != member.Name ? $"the property '{member.Name}', whose getter is get_{member.Name}()" : Describe(member);
            Report(clash.Id, clash.User.Location ?? model.Location, member.Who, what, clash.User.Describe());
        }
        if (model.EnsembleConflict is { } taken)
        {
            Report(Descriptors.NameCollision.Id, taken.Location ?? model.Location, "[Ensemble]", $"the class '{type}Ensemble'", $"a type or member '{type}Ensemble' beside it");
        }
    }
}
