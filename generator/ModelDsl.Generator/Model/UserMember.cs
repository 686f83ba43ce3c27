namespace ModelDsl.Generator.Model;

/// <summary>What kind of declaration a <see cref="UserMember"/> is; messages name it ("a field '_head'").</summary>
internal enum UserMemberKind
{
    /// <summary>The model class itself: no member may take its name (CS0542).</summary>
    Class,
    TypeParameter,
    NestedType,
    Field,
    Property,
    Event,
    Method,
    Constructor,
    /// <summary>A type beside the model (same namespace or containing type), or a member of the containing type.</summary>
    Sibling,
}

/// <summary>
/// A name the user declared in (or, for <see cref="UserMemberKind.Sibling"/>, beside) a [Model] class, which the
/// generated members must not repeat; <see cref="Location"/> is where the error about it goes (analyzer parse only).
/// </summary>
/// <param name="Parameters">For methods and constructors whose name the generator also uses: the generic arity and
/// the parameter types ("0|long?,global::TorchSharp.torch.Device,…"), so an overload is told from a clash; else null.</param>
internal sealed record UserMember(string Name, UserMemberKind Kind, LocationInfo? Location, string? Parameters = null)
{
    /// <summary>"a field '_head'", "'Net' as its own name", as the diagnostics say it.</summary>
    public string Describe() => Kind switch
    {
        UserMemberKind.Class => $"'{Name}' as its own name",
        UserMemberKind.TypeParameter => $"a type parameter '{Name}'",
        UserMemberKind.NestedType => $"a nested type '{Name}'",
        UserMemberKind.Field => $"a field '{Name}'",
        UserMemberKind.Property => $"a property '{Name}'",
        UserMemberKind.Event => $"an event '{Name}'",
        UserMemberKind.Method => $"a method '{Name}'",
        UserMemberKind.Constructor => "a constructor",
        _ => $"'{Name}' beside it",
    };
}
