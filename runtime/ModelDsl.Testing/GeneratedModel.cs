namespace ModelDsl.Testing;

/// <summary>One generated model: what to hand to a snapshot library.</summary>
/// <param name="TypeName">The model class's full name (namespace and containing types).</param>
/// <param name="HintName">The generated file's name, <c>Namespace.Type.g.cs</c>.</param>
/// <param name="Source">The generated C# file, exactly as the generator wrote it.</param>
/// <param name="Summary">The architecture table (the model's <c>SummaryText</c>).</param>
public sealed record GeneratedModel(string TypeName, string HintName, string Source, string Summary);
