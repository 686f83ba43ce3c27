namespace ModelDsl.Benchmarks.Runtime;

// The place for the other runtime-overhead variants issue 8 names, which depend on work in progress elsewhere:
//  - CnnOverheadBenchmarks: a generated CNN (batch 64) vs the same network hand-written, once Conv2d/pooling exist in
//    the generator (convolution issue). Copy the shape of MlpOverheadBenchmarks: Workload.Pair-style weight copy,
//    hand-written as baseline per category.
//  - EnsembleOverheadBenchmarks: the generated 8-member ensemble vs 8 hand-written members, and vectorized vs loop
//    members, once [Ensemble] is generated (ensemble issue).
//  - Penalty() cost per step relative to the step (goal < 3%), once [WeightDecay] groups are generated.
// Deliberately no code here: a benchmark of a model that does not exist yet would measure nothing.
