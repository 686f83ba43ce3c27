using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>The plan step's output: a plan when there were no errors, and every diagnostic found.</summary>
internal sealed record PlanResult(ModelPlan? Plan, EquatableArray<DiagnosticInfo> Diagnostics);
