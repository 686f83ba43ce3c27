using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>Turns a model's optional seed into the generator its constructor draws every initial weight from.</summary>
public static class Seeding
{
    /// <summary>A CPU generator seeded with <paramref name="seed"/>, or null to use TorchSharp's global generator.</summary>
    public static Generator? CreateGenerator(long? seed)
        => seed is long value ? new Generator(unchecked((ulong)value), CPU) : null;
}
