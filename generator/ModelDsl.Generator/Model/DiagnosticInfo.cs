using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>A diagnostic as data: descriptor id, message arguments as strings, and a location.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic(Compilation? compilation = null)
    {
        DiagnosticDescriptor descriptor = Diagnostics.Descriptors.ById(Id);
        object[] arguments = new object[Arguments.Count];
        for (int i = 0; i < arguments.Length; i++) arguments[i] = Arguments[i];
        return Diagnostic.Create(descriptor, Location?.ToLocation(compilation), arguments);
    }
}
