namespace ModelDsl.Generator.Model;

/// <summary>The model's [Obsolete] (message and error flag), repeated on its ensemble so that using the model there is not itself a warning (CS0612/CS0618) or error (CS0619).</summary>
internal sealed record ObsoleteInfo(string? Message, bool IsError);
