using System.Collections.Generic;

namespace ModelDsl;

/// <summary>
/// One declared weight-decay group as generated code describes it: its strengths and the state_dict names of the
/// parameters it decays (biases and norm parameters only when the group includes them).
/// </summary>
/// <param name="Name">The group's name (<c>"default"</c> for layers without a Group).</param>
/// <param name="L2">λ2 of (λ2/2)·‖w‖².</param>
/// <param name="L1">λ1 of λ1·‖w‖₁.</param>
/// <param name="Parameters">Parameter names as in named_parameters(), e.g. <c>hidden.dense.weight</c>.</param>
public sealed record WeightDecayGroup(string Name, double L2, double L1, IReadOnlyList<string> Parameters);
