using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// The public surface of a model that has ModelDsl errors (issue #23): what the generated part declares so code using
/// the model compiles and the MD errors are the build's only errors — the base class, the interfaces, the constructor,
/// forward, Summary, InputShape, the partial block properties and the ensemble — each member throwing an
/// InvalidOperationException that names the model and the errors. Members that would clash with the user's are left out.
/// </summary>
/// <param name="Message">What every member throws, naming the model and its error IDs.</param>
/// <param name="Members">The generated members to declare, by name (".ctor" for the constructor).</param>
/// <param name="Interfaces">The interfaces to implement, fully qualified.</param>
internal sealed record SurfacePlan(
    TypeHierarchy Type,
    string Message,
    bool DeclaresBase,
    EquatableArray<string> Members,
    EquatableArray<string> Interfaces,
    EquatableArray<SurfaceProperty> Properties)
{
    public bool FileScopedNamespace { get; init; } = true;

    /// <summary>The field blocks, which the constructor assigns (null) and reads before it throws, so CS0649 or CS0414 does not join the MD error.</summary>
    public EquatableArray<string> Fields { get; init; }

    /// <summary>False when the model itself was generated and only its ensemble has errors: the surface is the ensemble alone.</summary>
    public bool IncludesModel { get; init; } = true;

    public ObsoleteInfo? Obsolete { get; init; }

    /// <summary>A graph model's input names when it has several (forward's parameters); empty for one input.</summary>
    public EquatableArray<string> Inputs { get; init; } = EquatableArray<string>.Empty;

    /// <summary>A graph model's output names when it has several (the Outputs record); empty for one output.</summary>
    public EquatableArray<string> Outputs { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The {Model}Ensemble to declare; null without [Ensemble] or when it cannot be declared.</summary>
    public SurfaceEnsemble? Ensemble { get; init; }
}

/// <summary>A partial property the user meant as a block, to implement with throwing accessors ("get", "set", "init").</summary>
internal sealed record SurfaceProperty(string Name, PartialPropertyInfo Property, EquatableArray<string> Accessors);

/// <summary>The ensemble's name and, when [Ensemble] gives a valid one, its member count.</summary>
internal sealed record SurfaceEnsemble(string TypeName, int? Members);
