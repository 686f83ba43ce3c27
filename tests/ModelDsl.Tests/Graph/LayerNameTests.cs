using System;
using System.IO;
using System.Linq;
using ModelDsl.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Graph;

/// <summary>Layer names in the declaration make a generated model's state_dict keys those of the PyTorch model it mirrors.</summary>
public class LayerNameTests
{
    /// <summary>The same network written as PyTorch users write it: nn.Sequential children numbered 0, 1, 2, …</summary>
    private sealed class Reference : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Sequential features = nn.Sequential(
            ("0", nn.Conv2d(1, 4, 3, padding: 1)), ("1", nn.BatchNorm2d(4)), ("2", nn.ReLU()), ("3", nn.AdaptiveAvgPool2d(1)), ("4", nn.Flatten()));
        private readonly TorchSharp.Modules.Sequential head = nn.Sequential(("fc", nn.Linear(4, 3)));

        public Reference() : base("Reference") => RegisterComponents();

        public override Tensor forward(Tensor x) => head.forward(features.forward(x));
    }

    [Fact]
    public void A_file_from_the_mirrored_model_loads_strictly_and_gives_its_outputs()
    {
        using var scope = NewDisposeScope();
        using var reference = new Reference();
        using (no_grad())
            foreach (var (name, t) in reference.state_dict()) if (t.is_floating_point()) t.copy_(name.EndsWith("running_var", StringComparison.Ordinal) ? rand(t.shape) + 0.5 : randn(t.shape));
        string path = Path.Combine(Path.GetTempPath(), $"named-{Guid.NewGuid():N}.safetensors");
        try
        {
            reference.SaveWeights(path);
            using var model = new TorchNamed(seed: 1);
            Assert.Contains("features.0.weight", model.state_dict().Keys);
            Assert.Contains("features.1.running_mean", model.state_dict().Keys);
            Assert.Contains("head.fc.bias", model.state_dict().Keys);
            model.LoadWeights(path); // strict: every key and shape matches
            reference.eval();
            model.eval();
            Tensor x = randn(5, 1, 8, 8);
            Assert.True((reference.forward(x) - model.forward(x)).abs().max().item<float>() <= 1e-6);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
