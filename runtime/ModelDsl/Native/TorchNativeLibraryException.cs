using System;

namespace ModelDsl;

/// <summary>TorchSharp's native library could not be loaded; the message says why and what to do.</summary>
public sealed class TorchNativeLibraryException : Exception
{
    /// <summary>Wraps the loader's error with an explanation.</summary>
    public TorchNativeLibraryException(string message, Exception inner) : base(message, inner) { }
}
