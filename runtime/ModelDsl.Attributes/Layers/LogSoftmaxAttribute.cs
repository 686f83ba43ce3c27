namespace ModelDsl;

/// <summary>LogSoftmax over the last dimension. Output layer only: in the middle of a stack it is a warning (MD0009).</summary>
public sealed class LogSoftmaxAttribute : LayerAttribute
{
}
