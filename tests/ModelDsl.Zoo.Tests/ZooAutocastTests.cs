using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using Xunit;
using Zoo;
using static TorchSharp.torch;

namespace ModelDsl.Zoo.Tests;

/// <summary>
/// Every zoo declaration under bfloat16 autocast (<see cref="Autocast"/>, what <c>TrainerOptions.Autocast</c> runs a
/// training step in): a training step gives every parameter that float32 training reaches a finite float32 gradient, and
/// the eval output stays within 2⁻⁵ of the float32 output's scale, the bound the generated-model sweep uses (each
/// rounded operation keeps 8 significant bits; a layer that fell out of bfloat16 arithmetic or broke would be off by
/// O(1) or throw, as libtorch's bfloat16 gaps do).
/// </summary>
public sealed class ZooAutocastTests
{
    public static TheoryData<string> Architectures => new(ZooCatalog.All.Select(a => a.Name));

    [Theory, MemberData(nameof(Architectures))]
    public void A_training_step_and_eval_run_under_autocast(string name)
    {
        Architecture architecture = ZooCatalog.Find(name);
        using var scope = NewDisposeScope();
        using nn.Module model = architecture.Create();
        Tensor input = randn(new long[] { 2, 3, 224, 224 }, generator: new Generator(7));

        model.train();
        HashSet<string> reached = TrainingStep(architecture, model, input, autocast: false);
        HashSet<string> reachedUnderAutocast = TrainingStep(architecture, model, input, autocast: true);
        Assert.Equal(reached.Order(StringComparer.Ordinal), reachedUnderAutocast.Order(StringComparer.Ordinal));
        foreach (var (key, parameter) in model.named_parameters())
            if (parameter.grad is { } gradient)
                Assert.True(gradient.dtype == ScalarType.Float32 && gradient.isfinite().all().item<bool>(), $"{name} {key}: a {gradient.dtype} gradient, finite: {gradient.isfinite().all().item<bool>()}");

        model.eval();
        using (no_grad())
        {
            foreach (var (key, expected) in architecture.Forward(model, input))
            {
                Tensor actual;
                using (Autocast.Enable()) actual = architecture.Forward(model, input)[key];
                double scale = expected.abs().max().item<float>();
                double difference = (actual.to(ScalarType.Float32) - expected).abs().max().item<float>();
                Assert.True(difference <= scale / 32, $"{name} {key}: eval under autocast {difference:E2} from float32 at scale {scale:E2}");
                Assert.True(difference > 0, $"{name} {key}: the same as float32 to the last bit, so nothing ran in bfloat16");
            }
        }
    }

    // Forward (under autocast where asked), a float32 loss over every output, backward; the parameters that got a gradient.
    private static HashSet<string> TrainingStep(Architecture architecture, nn.Module model, Tensor input, bool autocast)
    {
        foreach (var parameter in model.parameters()) parameter.grad = null;
        Tensor loss;
        using (autocast ? Autocast.Enable() : null)
            loss = architecture.Forward(model, input).Values.Select(o => o.to(ScalarType.Float32).square().mean()).Aggregate((a, b) => a + b);
        loss.backward();
        return model.named_parameters().Where(p => p.parameter.grad is not null).Select(p => p.name).ToHashSet();
    }
}
