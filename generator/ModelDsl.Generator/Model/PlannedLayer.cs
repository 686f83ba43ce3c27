using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// One TorchSharp module of the generated class, fully decided: its child name (the state_dict key), the code that
/// builds and initializes it (with <c>{layer}</c> standing for the variable), and what the summary table shows.
/// </summary>
internal sealed record PlannedLayer(
    string Name,
    string Display,
    string ModuleType,
    string Construction,
    EquatableArray<string> InitStatements,
    string Comment,
    EquatableArray<long> OutputShape,
    long Parameters,
    string InitSummary);
