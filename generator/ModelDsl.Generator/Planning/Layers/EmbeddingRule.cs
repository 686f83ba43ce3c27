using System.Collections.Immutable;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [Embedding(V, D)] → TorchSharp's nn.Embedding: token ids [B, T] → [B, T, D], V·D parameters, rows N(0, 1) drawn from
/// the model's generator (PyTorch's init) with the PaddingIndex row zero (padding_idx keeps it zero and gradient-free).
/// Only the model's first layer reads token ids (MD0063), a sequence of them (MD0065); the padding id is a row of the
/// table (MD0064). The planner carries the padding mask to the mask-aware layers after it.
/// </summary>
internal sealed class EmbeddingRule : LayerRule
{
    public override string Name => "Embedding";

    public override ImmutableDictionary<string, object> Defaults { get; } = ImmutableDictionary<string, object>.Empty.Add("PaddingIndex", -1).Add("InitStd", 1.0);

    public override LayerTraits Traits { get; } = new() { PerStep = true, TokenTable = true };

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        long vocabulary = (long)context.Number("Vocabulary"), dimension = (long)context.Number("Dimension");
        string display = $"Embedding({vocabulary}, {dimension})";
        double std = context.Number("InitStd");
        if (!context.RequirePositive("Embedding vocabulary", vocabulary) || !context.RequirePositive("Embedding dimension", dimension)) return ImmutableArray<PlannedLayer>.Empty;
        if (!(std > 0))
        {
            context.Report(Descriptors.NonPositiveSize, "Embedding InitStd", Invariant.Short(std));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        if (!context.IsFirst)
        {
            context.Report(Descriptors.EmbeddingNotFirst, display, string.Join(", ", context.Preceding.Select(l => "[" + l.Name + "]")));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        long? padding = null;
        if (context.Layer.Has("PaddingIndex"))
        {
            double index = context.Number("PaddingIndex");
            if (!(index >= 0 && index < vocabulary))
            {
                context.Report(Descriptors.PaddingIndexOutOfRange, display, Invariant.Short(index), Invariant.Count(vocabulary), Invariant.Count(vocabulary - 1));
                return ImmutableArray<PlannedLayer>.Empty;
            }
            padding = (long)index;
        }
        if (context.Input.Count != 1)
        {
            context.Report(Descriptors.TokensNotSequence, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }

        long steps = context.Input[0];
        CallPlan construction = padding is { } p
            ? CallPlan.Method($"{Nn}.Embedding", CallArgument.Long(vocabulary), CallArgument.Long(dimension), CallArgument.Long(p, "padding_idx"), CallArgument.DType)
            : CallPlan.Method($"{Nn}.Embedding", CallArgument.Long(vocabulary), CallArgument.Long(dimension), CallArgument.DType);
        var init = padding is { } row
            ? new[] { NormalRows(std), CallPlan.Method("global::ModelDsl.Initializers.ZeroRow", CallArgument.Parameter("weight", notNull: true), CallArgument.Long(row)) }
            : new[] { NormalRows(std) };
        string drawn = $"N(0, {Invariant.Short(std)}{(std == 1 ? "" : "²")})";
        string masked = padding is { } id ? $"; id {id} is padding: its row stays 0 and its steps are masked" : "";
        return ImmutableArray.Create(new PlannedLayer(
            "embedding",
            display,
            $"{Modules}.Embedding",
            construction,
            init.ToEquatableArray(),
            $"token ids [B, {steps}] (Int64, 0…{vocabulary - 1}) → {dimension} features per step{masked}",
            Shapes.Of(steps, dimension),
            checked(vocabulary * dimension),
            padding is null ? drawn : drawn + ", padding row 0")
        {
            Kind = Name,
            Role = LayerRole.Embedding,
            Tokens = new TokenInput(vocabulary, padding),
            Tensors = new[] { PlannedTensor.Float("weight", vocabulary, dimension) }.ToEquatableArray(),
        });
    }

    /// <summary>N(0, σ²) from the model's generator: nn.Embedding draws its own from the global generator, which a model seed does not reach.</summary>
    private static CallPlan NormalRows(double std)
        => CallPlan.Method("global::ModelDsl.Initializers.Normal", CallArgument.Parameter("weight", notNull: true), CallArgument.Double(0, "mean"), CallArgument.Double(std, "std"), CallArgument.Generator);
}
