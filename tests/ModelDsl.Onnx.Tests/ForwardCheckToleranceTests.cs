using ModelDsl.Onnx;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Onnx.Tests;

/// <summary>
/// The exporter's check that a walk of the declared layers is the model's forward: its bound, 1e-4 · max(1, max |y|),
/// follows the output's scale, so float rounding of a deep network passes and a wiring difference does not.
/// </summary>
public sealed class ForwardCheckToleranceTests
{
    [Fact]
    public void Rounding_at_the_outputs_scale_passes_and_an_absolute_tolerance_would_have_refused_it()
    {
        Tensor y = tensor(new float[] { 46.6f, -12.0f, 0.0f });
        Tensor rounded = y + tensor(new float[] { 2e-5f, 0f, 3e-5f });   // 1e-5-sized differences near zero, outputs in the tens
        Assert.True(ModuleChain.SameOutput(y, rounded));
        Assert.False(y.allclose(rounded, rtol: 1e-4, atol: 1e-5));        // the element-wise check it replaces
    }

    [Theory]
    [InlineData(0.01f)]   // a real difference at a scale of 46.6: 1e-4 · 46.6 = 4.7e-3
    [InlineData(1f)]
    public void A_difference_beyond_the_bound_fails(float delta)
    {
        Tensor y = tensor(new float[] { 46.6f, -12.0f, 0.0f });
        Assert.False(ModuleChain.SameOutput(y, y + tensor(new float[] { 0f, delta, 0f })));
    }

    [Fact]
    public void Small_outputs_are_held_to_1e_4_absolute_and_shapes_nans_and_infinities_must_match()
    {
        Tensor y = tensor(new float[] { 0.5f, float.NaN, float.PositiveInfinity });
        Assert.True(ModuleChain.SameOutput(y, y.clone()));
        Assert.False(ModuleChain.SameOutput(y, tensor(new float[] { 0.5002f, float.NaN, float.PositiveInfinity })));
        Assert.False(ModuleChain.SameOutput(y, tensor(new float[] { 0.5f, 1f, float.PositiveInfinity })));
        Assert.False(ModuleChain.SameOutput(y, tensor(new float[] { 0.5f, float.NaN, float.NegativeInfinity })));
        Assert.False(ModuleChain.SameOutput(y, y.reshape(1, 3)));
        Assert.True(ModuleChain.SameOutput(zeros(0, 3), zeros(0, 3)));
    }
}
