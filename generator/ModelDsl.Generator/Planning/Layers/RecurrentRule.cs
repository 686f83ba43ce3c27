using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [LSTM(units)] and [GRU(units)] → ModelDsl.Recurrent over [B, T, F] (batch first): [B, T, D·H] with ReturnSequences,
/// else the last step's [B, D·H]. Parameters per layer and direction: G·H·(F_in + H) + 2·G·H (PyTorch keeps two bias
/// vectors), G = 4 gates for the LSTM and 3 for the GRU, F_in = F for the first layer and D·H after it. Initialized by
/// the runtime layer from the model's generator: Glorot-uniform input weights, orthogonal recurrent gate blocks, zero
/// biases with the LSTM's forget-gate bias at ForgetBias.
/// </summary>
internal sealed class RecurrentRule : LayerRule
{
    private static readonly ImmutableDictionary<string, object> Common = ImmutableDictionary<string, object>.Empty
        .Add("Layers", 1).Add("Bidirectional", false).Add("Dropout", 0.0).Add("ReturnSequences", false);

    private readonly bool lstm;

    public RecurrentRule(string name)
    {
        Name = name;
        lstm = name == "LSTM";
        Defaults = lstm ? Common.Add("ForgetBias", 1.0) : Common;
    }

    public override string Name { get; }

    public override ImmutableDictionary<string, object> Defaults { get; }

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        long units = (long)context.Number("Units");
        long layers = (long)context.Number("Layers");
        bool bidirectional = context.Boolean("Bidirectional");
        bool sequences = context.Boolean("ReturnSequences");
        double dropout = context.Number("Dropout");
        double forgetBias = lstm ? context.Number("ForgetBias") : 0;
        string display = $"{Name}({units}{(bidirectional ? ", bidirectional" : "")}{(layers > 1 ? $", {layers} layers" : "")}{(dropout > 0 ? $", dropout {Invariant.Short(dropout)}" : "")})";
        if (!context.RequirePositive($"{Name} units", units) || !context.RequirePositive($"{Name} Layers", layers)) return ImmutableArray<PlannedLayer>.Empty;
        if (!(dropout >= 0 && dropout < 1))
        {
            context.Report(Descriptors.NonPositiveSize, $"{Name} Dropout (at least 0 and below 1)", Invariant.Short(dropout));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        if (context.Input.Count != 2)
        {
            context.Report(Descriptors.NeedsSequence, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }

        // PyTorch applies dropout between stacked layers only (and warns for one layer); say so instead of dropping nothing silently.
        if (dropout > 0 && layers == 1) context.ReportAt("Dropout", Descriptors.RecurrentDropoutUnused, display, Invariant.Short(dropout), Name);

        long steps = context.Input[0], features = context.Input[1];
        int gates = lstm ? 4 : 3;
        long directions = bidirectional ? 2 : 1;
        long width = checked(directions * units);
        long parameters = 0;
        for (long layer = 0; layer < layers; layer++)
        {
            long input = layer == 0 ? features : width;
            parameters = checked(parameters + directions * (gates * units * (input + units) + 2 * gates * units));
        }

        EquatableArray<long> output = sequences ? Shapes.Of(steps, width) : Shapes.Of(width);
        string kind = "global::ModelDsl.RecurrentKind." + Name;
        CallPlan construction = CallPlan.New("global::ModelDsl.Recurrent", CallArgument.Symbolic(kind), CallArgument.Long(features), CallArgument.Long(units),
            CallArgument.Long(layers, "layers"), CallArgument.Bool(bidirectional, "bidirectional"), CallArgument.Double(dropout, "dropout"),
            CallArgument.Bool(sequences, "returnSequences"), CallArgument.Double(forgetBias, "forgetBias"), CallArgument.Symbolic("generator", "generator"),
            CallArgument.DType);
        string init = "Glorot uniform input, orthogonal recurrent gates" + (lstm ? $", forget bias {Invariant.Short(forgetBias)}" : ", bias 0");
        string reads = sequences ? $"every step of {steps}" : $"the last of {steps} steps";
        return ImmutableArray.Create(new PlannedLayer(
            Name.ToLowerInvariant(),
            display,
            "global::ModelDsl.Recurrent",
            construction,
            EquatableArray<CallPlan>.Empty,
            $"{features} → {width} features per step, returns {reads}; {init}",
            output,
            parameters,
            init)
        {
            Kind = Name,
            Role = LayerRole.Weights,
            Decayed = DecayedParameters(layers, bidirectional),
            Tensors = Tensors(features, gates * units, units, layers, bidirectional),
        });
    }

    /// <summary>The cell's tensors under <c>rnn</c>, per layer and direction as PyTorch orders them: weight_ih [G·H, F_in], weight_hh [G·H, H], bias_ih, bias_hh [G·H].</summary>
    private static EquatableArray<PlannedTensor> Tensors(long features, long gated, long units, long layers, bool bidirectional)
    {
        var tensors = new System.Collections.Generic.List<PlannedTensor>();
        for (long layer = 0; layer < layers; layer++)
        {
            long input = layer == 0 ? features : (bidirectional ? 2 : 1) * units;
            foreach (string direction in bidirectional ? new[] { "", "_reverse" } : new[] { "" })
            {
                tensors.Add(PlannedTensor.Float($"rnn.weight_ih_l{layer}{direction}", gated, input));
                tensors.Add(PlannedTensor.Float($"rnn.weight_hh_l{layer}{direction}", gated, units));
                tensors.Add(PlannedTensor.Float($"rnn.bias_ih_l{layer}{direction}", gated));
                tensors.Add(PlannedTensor.Float($"rnn.bias_hh_l{layer}{direction}", gated));
            }
        }
        return tensors.ToEquatableArray();
    }

    /// <summary>PyTorch's names: weight_ih_l{k} (input) and weight_hh_l{k} (recurrent), bias_ih/bias_hh, _reverse for the backward direction.</summary>
    private static DecayedParameters DecayedParameters(long layers, bool bidirectional)
    {
        var weights = new System.Collections.Generic.List<string>();
        var biases = new System.Collections.Generic.List<string>();
        for (long layer = 0; layer < layers; layer++)
        {
            foreach (string direction in bidirectional ? new[] { "", "_reverse" } : new[] { "" })
            {
                weights.Add($"rnn.weight_ih_l{layer}{direction}");
                weights.Add($"rnn.weight_hh_l{layer}{direction}");
                biases.Add($"rnn.bias_ih_l{layer}{direction}");
                biases.Add($"rnn.bias_hh_l{layer}{direction}");
            }
        }
        return new DecayedParameters(weights.ToEquatableArray(), biases.ToEquatableArray(), EquatableArray<string>.Empty);
    }
}
