namespace ModelDsl.Generator;

/// <summary>Names of the pipeline steps, for incremental-caching tests (Mapperly's MapperGeneratorStepNames).</summary>
internal static class TrackingNames
{
    public const string Declarations = nameof(Declarations);
    public const string Sources = nameof(Sources);
}
