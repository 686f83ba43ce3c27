using System;

namespace ModelDsl;

/// <summary>
/// On a model's member whose type is a <see cref="BlockAttribute"/> template: the values of the template's parameters for
/// this use, as name/value pairs (<c>[With(nameof(Fire.Squeeze), 16, nameof(Fire.Expand), 64)]</c>). Every parameter must
/// be given once, by a name the template declares, with a number; each mistake is a compile-time MD0098.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class WithAttribute : Attribute
{
    /// <summary>Name/value pairs: a parameter's name (<c>nameof(Template.Parameter)</c>), then its value.</summary>
    public WithAttribute(params object[] arguments) => Arguments = arguments;

    /// <summary>The name/value pairs as written.</summary>
    public object[] Arguments { get; }
}
