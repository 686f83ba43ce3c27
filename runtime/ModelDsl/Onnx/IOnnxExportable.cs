namespace ModelDsl.Onnx;

/// <summary>
/// A generated model whose forward the generator wrote, so its graph is the chain of its declared layers and
/// <see cref="OnnxExport"/> can write it. The generator adds this interface to every model without a hand-written
/// forward; on a class with its own forward, <c>ExportOnnx</c> does not compile (CS1929), so which models export is
/// known at compile time.
/// </summary>
public interface IOnnxExportable : IGeneratedModel
{
}
