namespace System.Runtime.CompilerServices;

/// <summary>Lets netstandard2.0 declare an interpolated string handler (<see cref="ModelDsl.Generator.Helpers.SourceWriter.LineHandler"/>; the type ships only in .NET 6+).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
internal sealed class InterpolatedStringHandlerAttribute : Attribute
{
}

/// <summary>Names the arguments an interpolated string handler's constructor receives (the type ships only in .NET 6+).</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
internal sealed class InterpolatedStringHandlerArgumentAttribute : Attribute
{
    public InterpolatedStringHandlerArgumentAttribute(string argument) => Arguments = new[] { argument };

    public InterpolatedStringHandlerArgumentAttribute(params string[] arguments) => Arguments = arguments;

    public string[] Arguments { get; }
}
