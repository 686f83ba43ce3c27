namespace ModelDsl.CodeFixes;

/// <summary>The IDs this assembly fixes; they mirror ModelDsl.Generator's Descriptors (a test checks they stay in step).</summary>
internal static class DiagnosticIds
{
    public const string NotPartial = "MD0001";
    public const string HeBeforeSaturating = "MD0011";
    public const string XavierBeforeReLU = "MD0012";
    public const string NoNonlinearity = "MD0018";
    public const string DenseNeedsFlatten = "MD0030";
}
