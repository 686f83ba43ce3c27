namespace ModelDsl.Generator;

/// <summary>
/// Metadata names of the attributes the generator reads. Strings rather than typeof: the generator must not load
/// the attributes assembly inside the compiler. A test checks each against typeof(X).FullName.
/// </summary>
internal static class AttributeNames
{
    public const string Namespace = "ModelDsl";
    public const string Model = "ModelDsl.ModelAttribute";
    public const string LayerBase = "ModelDsl.LayerAttribute";
}
