using ModelDsl.Onnx.Tests.Composition;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Onnx.Tests.Composition
{
    /// <summary>Issue 23 §2 as reported: a block behind a partial property (backing field _head, child "head").</summary>
    [Model(4)]
    [Ensemble(2, Seed = 1)]
    public partial class BlockMlp
    {
        [Dense(3)]
        public partial Sequential Head { get; }
    }

    /// <summary>A residual model in a loop ensemble: units with an activation after the sum and with a projection.</summary>
    [Model(5)]
    [Ensemble(3, Seed = 2)]
    public partial class ResidualMlp
    {
        [Residual(Activation = Activation.ReLU)]
        [Dense(7, Init = Init.He), ReLU, Dense(7)]
        public partial Sequential Stage { get; }

        [Dense(2)]
        public partial Sequential Head { get; }
    }
}

namespace ModelDsl.Onnx.Tests
{
    /// <summary>
    /// Ensembles of models with named blocks export (issue 23 §2): registering a member in the ensemble's ModuleList used to
    /// register its blocks a second time under their field names (_head beside head), and the exporter then chained both
    /// copies ("mat1 and mat2 shapes cannot be multiplied").
    /// </summary>
    public class CompositionExportTests
    {
        [Fact]
        public void The_reported_block_ensemble_exports_and_onnx_runtime_agrees() => ExportsAndAgrees(new BlockMlpEnsemble(), 4, seed: 230);

        [Fact]
        public void A_residual_ensemble_exports_and_onnx_runtime_agrees() => ExportsAndAgrees(new ResidualMlpEnsemble(), 5, seed: 231);

        private static void ExportsAndAgrees<TModel>(Ensemble<TModel> ensemble, long width, long seed)
            where TModel : nn.Module<Tensor, Tensor>, IOnnxExportable
        {
            OrtRun.Train(ensemble, new[] { width });
            byte[] onnx = OrtRun.Export(s => ensemble.ExportOnnx(s));
            OrtRun.AssertAgrees(ensemble, onnx, new[] { width }, seed);
        }

        [Fact]
        public void A_member_exports_like_the_standalone_model_with_its_weights()
        {
            using var scope = NewDisposeScope();
            var ensemble = new BlockMlpEnsemble();
            var standalone = new BlockMlp(seed: 5);
            ensemble.Members[1].load_state_dict(standalone.state_dict(), strict: true);
            byte[] onnx = OrtRun.Export(s => ensemble.Members[1].ExportOnnx(s));
            OrtRun.AssertAgrees(standalone, onnx, new long[] { 4 }, seed: 232);
        }
    }
}
