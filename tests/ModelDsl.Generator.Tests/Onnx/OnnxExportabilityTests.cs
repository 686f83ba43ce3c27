using System.Linq;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Onnx;

/// <summary>Which models export to ONNX is known at compile time: ExportOnnx compiles on a generated forward only.</summary>
public class OnnxExportabilityTests
{
    private const string Models = """
        using ModelDsl;
        using ModelDsl.Onnx;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        namespace Demo;

        [Model(4)]
        [Dense(3), ReLU]
        [Dense(2)]
        [Ensemble(3)]
        public partial class Declared { }

        [Model(4)]
        public partial class HandWritten
        {
            [Dense(4)]
            public partial Sequential Inner { get; }

            public override Tensor forward(Tensor input) => input + Inner.forward(input);
        }
        """;

    [Fact]
    public void A_generated_forward_makes_the_model_and_its_ensemble_exportable()
    {
        GeneratorResult result = GeneratorHarness.Run(Models, """
            using ModelDsl.Onnx;
            static class Use
            {
                static void Export(Demo.Declared model, Demo.DeclaredEnsemble ensemble)
                {
                    model.ExportOnnx("model.onnx");
                    ensemble.ExportOnnx("ensemble.onnx");
                }
            }
            """).AssertClean();
        Assert.Contains("global::ModelDsl.Onnx.IOnnxExportable", result.Files["Demo.Declared.g.cs"]);
        Assert.DoesNotContain("IOnnxExportable", result.Files["Demo.HandWritten.g.cs"]);
    }

    [Fact]
    public void Export_of_a_hand_written_forward_does_not_compile()
    {
        GeneratorResult result = GeneratorHarness.Run(Models, """
            using ModelDsl.Onnx;
            static class Use
            {
                static void Export(Demo.HandWritten model) => model.ExportOnnx("model.onnx");
            }
            """);
        Assert.Empty(result.Diagnostics);
        var error = Assert.Single(result.CompilerDiagnostics);
        Assert.Equal("CS1929", error.Id); // 'HandWritten' does not contain ExportOnnx … requires a receiver of type 'IOnnxExportable'
        Assert.Equal("Model1.cs", error.Location.SourceTree!.FilePath);
        Assert.Contains("IOnnxExportable", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}
