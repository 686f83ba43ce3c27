using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// The plan step's output: a plan when there were no errors, and every diagnostic found; with errors, the public surface
/// the model still gets when its declaration can take a generated part.
/// </summary>
internal sealed record PlanResult(ModelPlan? Plan, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public SurfacePlan? Surface { get; init; }
}
