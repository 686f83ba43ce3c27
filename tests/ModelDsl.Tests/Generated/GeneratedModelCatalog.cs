using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Generated;

/// <summary>The generated one-input models of this assembly, for tests that sweep every one of them.</summary>
internal static class GeneratedModelCatalog
{
    /// <summary>Every generated <c>Module&lt;Tensor, Tensor&gt;</c> whose constructor takes a seed first (the rest optional), by full name.</summary>
    public static IEnumerable<Type> Types()
        => typeof(GeneratedModelCatalog).Assembly.GetTypes()
            .Where(t => typeof(IGeneratedModel).IsAssignableFrom(t) && typeof(nn.Module<Tensor, Tensor>).IsAssignableFrom(t) && !t.IsAbstract)
            .Where(t => SeedConstructor(t) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    public static Type Find(string fullName) => typeof(GeneratedModelCatalog).Assembly.GetType(fullName)!;

    /// <summary>An instance with seed 7 and every other constructor argument at its default.</summary>
    public static nn.Module<Tensor, Tensor> Create(Type type)
    {
        var constructor = SeedConstructor(type)!;
        object?[] arguments = constructor.GetParameters().Select((p, i) => i == 0 ? (object)7L : p.DefaultValue is DBNull ? null : p.DefaultValue).ToArray();
        return (nn.Module<Tensor, Tensor>)constructor.Invoke(arguments);
    }

    private static System.Reflection.ConstructorInfo? SeedConstructor(Type type)
        => type.GetConstructors().FirstOrDefault(c => c.GetParameters() is { Length: > 0 } p && p[0].Name == "seed" && p.Skip(1).All(q => q.IsOptional));
}
