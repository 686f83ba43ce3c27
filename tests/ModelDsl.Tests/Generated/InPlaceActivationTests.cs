using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Generated;

/// <summary>
/// The generator builds a ReLU or ReLU6 that follows a convolution, Dense or BatchNorm in the same chain in place. That is
/// only allowed if nothing changes but speed: every generated model of this assembly that got an in-place activation
/// computes the same outputs, in training and in eval, and the same gradient for every parameter and for its input, as
/// the same model with each of those activations switched back to out of place (TorchSharp's <c>inplace</c> setter), bit
/// for bit. Autograd would also refuse a backward through a tensor overwritten after it was saved, so a wrong placement
/// fails here loudly.
/// </summary>
public sealed class InPlaceActivationTests
{
    public static IEnumerable<object[]> ModelsWithInPlaceActivations()
    {
        foreach (Type type in GeneratedModelCatalog.Types())
        {
            using var model = Create(type);
            if (model.modules().Any(IsInPlace)) yield return new object[] { type.FullName! };
        }
    }

    [Fact]
    public void The_sweep_covers_dense_convolutional_residual_and_graph_models()
    {
        var names = ModelsWithInPlaceActivations().Select(m => (string)m[0]).ToList();
        Assert.True(names.Count >= 20, $"only {names.Count} models: {string.Join(", ", names)}");
        foreach (string expected in new[] { "SmallCnn", "DigitsMlp", "TemporalConvNet", "ResidualProjectionCnn", "FoldResNet", "MiniInception", "MiniSqueezeNet", "MiniEfficientNet" })
            Assert.Contains(names, n => n.EndsWith("." + expected, StringComparison.Ordinal));
        Assert.Contains(names, n => Create(Find(n)).modules().OfType<ResidualBlock>().Any());
    }

    [Theory]
    [MemberData(nameof(ModelsWithInPlaceActivations))]
    public void Outputs_and_gradients_equal_the_out_of_place_model(string typeName)
    {
        using var scope = NewDisposeScope();
        Type type = Find(typeName);
        using var inPlace = Create(type);
        using var outOfPlace = Create(type);
        int switched = 0;
        foreach (nn.Module module in outOfPlace.modules())
        {
            if (module is ReLU relu && relu.inplace) { relu.inplace = false; switched++; }
            if (module is ReLU6 relu6 && relu6.inplace) { relu6.inplace = false; switched++; }
        }
        Assert.True(switched > 0);
        long[] shape = new long[] { 3 }.Concat(((IGeneratedModel)inPlace).InputShape).ToArray();
        Tensor x = randn(shape, generator: new Generator(11));
        foreach (bool training in new[] { true, false })
        {
            inPlace.train(training);
            outOfPlace.train(training);
            var (y1, g1, inputGrad1) = Run(inPlace, x);
            var (y2, g2, inputGrad2) = Run(outOfPlace, x);
            string mode = training ? "training" : "eval";
            Assert.True(y1.Equals(y2), $"{typeName}, {mode}: outputs differ by {(y1 - y2).abs().max().item<float>()}");
            Assert.True(inputGrad1.Equals(inputGrad2), $"{typeName}, {mode}: input gradients differ");
            foreach (var ((name, a), b) in g1.Zip(g2.Values))
                Assert.True(a.Equals(b), $"{typeName}, {mode}: gradient of {name} differs by {(a - b).abs().max().item<float>()}");
        }
    }

    private static (Tensor Output, Dictionary<string, Tensor> Gradients, Tensor InputGradient) Run(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        foreach (var p in model.parameters()) { p.grad?.Dispose(); p.grad = null; }
        Tensor input = x.detach().requires_grad_(true);
        manual_seed(5); // dropout and noise draw the same masks on both sides
        Tensor output = model.forward(input);
        Tensor weights = randn(output.shape, generator: new Generator(12));
        (output * weights).sum().backward();
        var gradients = model.named_parameters().Where(p => p.parameter.grad is not null).ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        return (output.detach(), gradients, input.grad!.clone());
    }

    private static bool IsInPlace(nn.Module module) => module is ReLU { inplace: true } or ReLU6 { inplace: true };

    private static Type Find(string name) => GeneratedModelCatalog.Find(name);

    private static nn.Module<Tensor, Tensor> Create(Type type) => GeneratedModelCatalog.Create(type);
}
