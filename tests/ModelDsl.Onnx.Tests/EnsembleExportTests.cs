using System.IO;
using System.Linq;
using ModelDsl.Onnx;
using OnnxModels;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Onnx.Tests;

/// <summary>Every aggregation, the loop and the vectorized form, exported with their members and run in ONNX Runtime.</summary>
public class EnsembleExportTests
{
    [Fact]
    public void Soft_vote_over_logits() => Check(new SoftVoterEnsemble(seed: 1), trained: true);

    [Fact]
    public void Majority_vote_over_log_probabilities_with_batch_norm_members() => Check(new MajorityVoterEnsemble(seed: 2), trained: true);

    [Fact]
    public void Fixed_weighted_mean() => Check(new FixedWeightsEnsemble(seed: 3), trained: true);

    [Fact]
    public void Learned_weighted_mean_exports_the_trained_weights()
    {
        var ensemble = new LearnedWeightsEnsemble(seed: 4);
        OrtRun.Train(ensemble, new long[] { 16 }, steps: 20);
        // The training moved the learned weights off the plain mean, so the export must carry the trained ones.
        Assert.True(ensemble.Aggregator.Weights!.sub(0.25).abs().max().item<float>() > 1e-4);
        Check(ensemble, trained: false);
    }

    [Fact]
    public void Mean_of_convolutional_members() => Check(new ConvMeanEnsemble(seed: 5), trained: true);

    [Fact]
    public void Vectorized_ensemble_exports_each_member_from_the_stacked_weights()
    {
        var ensemble = new VectorizedNetEnsemble(seed: 6);
        OrtRun.Train(ensemble, new long[] { 6 });
        byte[] onnx = OrtRun.Export(s => ensemble.ExportOnnx(s));
        OrtRun.AssertAgrees(ensemble, onnx, new long[] { 6 }, seed: 600);
        // One Gemm per member and dense layer.
        Assert.Equal(4 * 4, ModelExportTests.CountOps(onnx, "Gemm"));
    }

    [Fact]
    public void Majority_vote_ties_go_to_the_lowest_class_as_in_torchsharp()
    {
        // Three members that always vote classes 2, 0 and 1: every class has one vote, so the winner is class 0.
        var members = Enumerable.Range(0, 3).Select(i => new MajorityVoter(seed: i)).ToArray();
        using (no_grad())
        {
            for (int i = 0; i < 3; i++)
            {
                var head = members[i].modules().OfType<Linear>().Last();
                head.weight.zero_();
                head.bias!.zero_();
                head.bias![new[] { 2, 0, 1 }[i]] = tensor(5f);
            }
        }
        var ensemble = new Ensemble<MajorityVoter>(members, new EnsembleAggregator(3, Aggregation.MajorityVote, MemberOutput.LogProbabilities));
        byte[] onnx = OrtRun.Export(s => ensemble.ExportOnnx(s));
        using var session = OrtRun.Session(onnx);
        using var scope = NewDisposeScope();
        Tensor input = randn(4, 16);
        Tensor expected;
        using (ensemble.Evaluating()) expected = ensemble.forward(input);
        Assert.True(OrtRun.Run(session, input).allclose(expected, rtol: 0, atol: 0));
        Assert.True(expected.argmax(-1).eq(0).all().item<bool>());
    }

    private static void Check<TModel>(Ensemble<TModel> ensemble, bool trained) where TModel : nn.Module<Tensor, Tensor>, IOnnxExportable
    {
        long[] shape = ensemble.Members[0].InputShape.ToArray();
        // Members train one by one: a majority vote has no gradient.
        if (trained) foreach (TModel member in ensemble.Members) OrtRun.Train(member, shape);
        byte[] onnx = OrtRun.Export(s => ensemble.ExportOnnx(s));
        OrtRun.AssertAgrees(ensemble, onnx, shape, seed: 500);
    }
}
