namespace ModelDsl.Generator;

/// <summary>Names of the pipeline steps, for incremental-caching tests (Mapperly's MapperGeneratorStepNames).</summary>
internal static class TrackingNames
{
    /// <summary>The parse step: one declaration per [Model] class, the input of the source output.</summary>
    public const string Declarations = nameof(Declarations);

    /// <summary>The parse step of [Block] templates: one declaration per template class.</summary>
    public const string Templates = nameof(Templates);
}
