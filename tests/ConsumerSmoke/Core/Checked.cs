using ModelDsl;

namespace ConsumerSmoke;

// A model checked at compile time against checked.safetensors (ConsumerSmoke.csproj's ModelDslWeightsFile): the
// package's ModelDsl.Weights.targets hands the analyzer the file's header; a mismatch would fail this build (MD0102–MD0104).
[Model(4, WeightsFile = "checked.safetensors")]
[Dense(2, Name = "fc")]
public partial class Checked { }
