using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>A diagnostic as data: descriptor id, message arguments as strings, and a location.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic(Compilation? compilation = null, string? helpRoot = null)
    {
        DiagnosticDescriptor descriptor = Diagnostics.HelpLinks.For(Diagnostics.Descriptors.ById(Id), helpRoot);
        object[] arguments = new object[Arguments.Count];
        for (int i = 0; i < arguments.Length; i++) arguments[i] = Arguments[i];
        return Diagnostic.Create(descriptor, Location?.ToLocation(compilation), arguments);
    }
}
