using System;

namespace ModelDsl.Data;

/// <summary>A data set could not be fetched or failed verification; the message says what to do.</summary>
public sealed class DataFetchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DataFetchException(string message, Exception? inner = null) : base(message, inner) { }
}
