namespace ModelDsl.Generator;

/// <summary>Names of the pipeline steps, for incremental-caching tests (Mapperly's MapperGeneratorStepNames).</summary>
internal static class TrackingNames
{
    public const string Declarations = nameof(Declarations);

    /// <summary>Each declaration with the hint-name collision list: the input of the source output, one per generated model.</summary>
    public const string Outputs = nameof(Outputs);
}
