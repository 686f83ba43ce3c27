using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// Validate and infer shapes: walks the blocks in order, hands each layer its inferred input shape, names the
/// resulting modules, and collects diagnostics. A pure function of the <see cref="ModelDeclaration"/>.
/// </summary>
internal static class ModelPlanner
{
    public static PlanResult Plan(ModelDeclaration model)
    {
        PlanResult result = PlanOrFail(model);
        try
        {
            return result with
            {
                Surface = result.Plan is { } plan
                    ? HasErrors(result.Diagnostics.Items) ? SurfacePlanner.EnsembleOnly(plan, model, result.Diagnostics.Items) : null
                    : SurfacePlanner.Plan(model, result.Diagnostics.Items),
            };
        }
        catch (Exception)
        {
            // The generator never throws; without a surface the model's MD errors are still reported.
            return result;
        }
    }

    private static PlanResult PlanOrFail(ModelDeclaration model)
    {
        var diagnostics = new List<DiagnosticInfo>(model.ParseDiagnostics);
        try
        {
            return PlanCore(model, diagnostics, template: false);
        }
        catch (OverflowException)
        {
            // Checked arithmetic in shape inference and parameter counts (Shapes.Product, the rules, the total).
            diagnostics.Add(new DiagnosticInfo(Descriptors.SizeTooLarge.Id, model.Location,
                new[] { model.Type.TypeName, "the model's total parameter count" }.ToEquatableArray()));
            return new PlanResult(null, diagnostics.ToEquatableArray());
        }
        catch (Exception e)
        {
            // The generator never throws: an unexpected failure becomes MD0099 at the class.
            diagnostics.Add(new DiagnosticInfo(Descriptors.InternalError.Id, model.Location,
                new[] { model.Type.TypeName, e.GetType().Name + ": " + e.Message }.ToEquatableArray()));
            return new PlanResult(null, diagnostics.ToEquatableArray());
        }
    }

    /// <summary>
    /// Plans one use of a [Block] template: <paramref name="use"/> is the template's blocks with this use's values, as a
    /// model whose input is the use's input. Gives the plan, null after an error (reported); weight decay, names and
    /// ensembles are the using model's, so they are not planned here.
    /// </summary>
    internal static ModelPlan? PlanTemplate(ModelDeclaration use, List<DiagnosticInfo> diagnostics)
        => PlanCore(use, diagnostics, template: true).Plan;

    private static PlanResult PlanCore(ModelDeclaration model, List<DiagnosticInfo> diagnostics, bool template)
    {
        void Report(DiagnosticDescriptor d, LocationInfo? at, params string[] args) => diagnostics.Add(new DiagnosticInfo(d.Id, at, args.ToEquatableArray()));

        if (model.Context is { } context)
        {
            // [Model(Context = T)] declares token ids [B, t ≤ T]: shapes are planned at T, the longest input.
            if (ContextDeclared(model, context) is { } problem) Report(Descriptors.ContextModel, model.ModelAttributeLocation ?? model.Location, model.Type.TypeName, problem);
            else model = model with { InputShape = new[] { context }.ToEquatableArray() };
        }
        if (model.InputShape.Count == 0 && model.Inputs.Count == 0)
        {
            if (model.Context is null) Report(Descriptors.MissingInputShape, model.ModelAttributeLocation ?? model.Location, model.Type.TypeName);
        }
        else if (model.InputShape.Any(d => d <= 0))
        {
            string shown = string.Join(", ", model.InputShape.Select(d => d == long.MinValue ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Report(Descriptors.NonPositiveSize, model.ModelAttributeLocation ?? model.Location, "Every dimension of the input shape", "[" + shown + "]");
        }
        if (model.Blocks.All(b => b.Layers.Count == 0 && b.Template is null)) // no blocks, or only joins and taps
        {
            Report(Descriptors.EmptyModel, model.Location, model.Type.TypeName);
        }
        foreach (AttributeDeclaration attribute in model.ModelOptions.Concat(model.Blocks.SelectMany(b => b.Layers)).Concat(model.Blocks.Select(b => b.Residual).OfType<AttributeDeclaration>()))
        {
            ArgumentChecks.Check(attribute, diagnostics);
        }
        GraphPlanner? graph = GraphPlanner.Begin(model, diagnostics, out _);
        if (HasErrors(diagnostics)) return new PlanResult(null, diagnostics.ToEquatableArray());
        graph?.PlanInputs();

        var allLayers = model.Blocks.SelectMany(b => b.Layers).ToList();
        int position = 0;
        EquatableArray<long> shape = graph?.InputShapes[0].Shape ?? model.InputShape;
        var blocks = new List<PlannedBlock>();
        bool broken = false;
        TokenInput? tokens = null;
        bool masked = false; // a padding mask from the token ids is valid at the next layer's input
        int residualUnits = ResidualPlanner.Units(model);
        // What a layer may name by shape (Upsample's SizeOf): the inputs, then each block once it is planned.
        var values = new Dictionary<string, EquatableArray<long>>(StringComparer.Ordinal);
        foreach (var (name, inputShape) in graph?.InputShapes ?? new[] { ("input", model.InputShape) }) values[name] = inputShape;

        for (int b = 0; b < model.Blocks.Count; b++)
        {
            BlockDeclaration block = model.Blocks[b];
            if (graph is not null && !broken)
            {
                // A graph block reads the value its [From] or merge names (checked here for fit), or the block before it.
                if (graph.InputOf(block) is not { } joined)
                {
                    broken = true;
                    position += block.Layers.Count;
                    continue;
                }
                shape = joined;
                if (block.Input is not null) masked = graph.Masked(block.Input); // the mask is valid where every value read keeps the tokens' steps
            }
            EquatableArray<long> blockInput = shape;
            if (block.Template is { } used)
            {
                if (broken) continue;
                TemplatePlanner.Result? planned = TemplatePlanner.Plan(block, used, shape, diagnostics);
                if (planned is null)
                {
                    broken = true;
                    continue;
                }
                blocks.Add(planned.Block);
                shape = planned.Output;
                masked = false; // a template's blocks get no padding mask
                graph?.Planned(block, blockInput, shape, masked);
                if (block.MemberName is not null) values[block.MemberName] = shape;
                continue;
            }
            if (block.Residual is not null)
            {
                position += block.Layers.Count;
                if (broken) continue;
                ResidualPlanner.Result? residual = ResidualPlanner.Plan(model, block, shape, allLayers.Skip(position).ToList(), residualUnits, diagnostics);
                if (residual is null)
                {
                    broken = true;
                    continue;
                }
                blocks.Add(residual.Block);
                shape = residual.Output;
                graph?.Planned(block, blockInput, shape, masked: false);
                if (block.MemberName is not null) values[block.MemberName] = shape;
                // A residual unit's layers get no padding mask: the padding steps reach its branch as data.
                if (masked && !model.HasUserForward)
                {
                    Report(Descriptors.PaddingReadAsData, block.Residual.Location, $"[Residual] block '{block.MemberName}'", Invariant.Count(tokens!.PaddingIndex!.Value));
                }
                masked = false;
                continue;
            }
            var parts = new List<PlannedLayer>();
            // What advice (the activation after a layer) can see from this block's first layer on. With a user-written
            // forward the blocks need not chain, so it looks only within the block; in a graph, within the block and on
            // into the next block when that one reads this one by default; in a chain, through the end of the model.
            IReadOnlyList<AttributeDeclaration> reach = allLayers;
            int reachStart = position;
            if (model.HasUserForward || graph is not null)
            {
                reach = !model.HasUserForward && graph is not null && b + 1 < model.Blocks.Count && model.Blocks[b + 1].Input is null
                    ? block.Layers.Concat(model.Blocks[b + 1].Layers).ToList()
                    : block.Layers.Items;
                reachStart = 0;
            }
            for (int index = 0; index < block.Layers.Count; index++)
            {
                AttributeDeclaration layer = block.Layers[index];
                position++;
                if (broken && !layer.IsCustom && LayerRules.Find(layer.Name) is not null) continue; // shapes after an error are unknown; do not pile up follow-on errors
                var following = new ListWindow<AttributeDeclaration>(reach, reachStart + index + 1);
                // With a hand-written forward the generator does not pass the mask, so no layer is told it has one.
                bool maskedBefore = masked && !model.HasUserForward;
                // Token ids reach the first layer of a chain, or in a graph the first layer of a block that reads an input as it is.
                bool readsTokens = graph is null ? position == 1 : index == 0 && graph.InputRead(block) is not null;
                ImmutableArray<PlannedLayer>? planned = PlanLayer(model, layer, shape, following, diagnostics, out LayerRule? rule,
                    isFirst: readsTokens, preceding: graph is null ? new ListWindow<AttributeDeclaration>(allLayers, 0, position - 1) : index > 0 ? new ListWindow<AttributeDeclaration>(block.Layers.Items, 0, index) : LayersRead(model, b),
                    paddingMasked: maskedBefore, values: values);
                if (planned is null || rule is null)
                {
                    broken = true;
                    continue;
                }
                if (graph is not null && planned.Value[0].Tokens is { } read) graph.ReadsTokens(block, layer, read);
                parts.AddRange(planned.Value);
                shape = planned.Value[planned.Value.Length - 1].OutputShape;
                masked = PaddingMaskAfter(rule, planned.Value, masked, ref tokens);
                if (maskedBefore && !masked && !planned.Value.Any(p => p.UsesPaddingMask))
                {
                    Report(Descriptors.PaddingReadAsData, layer.Location, planned.Value[0].Display, Invariant.Count(tokens!.PaddingIndex!.Value));
                }
            }
            InPlaceActivations.Apply(parts);
            if (graph is null && block.MemberName is null)
            {
                ActivationsAfterPooling.Apply(parts);
                BatchNormInsidePooling.Apply(parts);
            }
            List<PlannedLayer> named = Name(parts);
            LayerNames.Check(block, named, diagnostics);
            blocks.Add(new PlannedBlock(
                block.MemberName,
                block.MemberName is null ? null : ChildName(block.MemberName),
                block.Property,
                block.IsNullable,
                blockInput,
                named.ToEquatableArray()));
            if (!broken) graph?.Planned(block, blockInput, shape, masked && !model.HasUserForward, named);
            if (!broken && block.MemberName is not null) values[block.MemberName] = shape;
        }

        RegularizationPlan? regularization = broken || template ? null : RegularizationPlanner.Plan(model, blocks, diagnostics);

        if (!broken && !template) GeneratedNames.Check(model, blocks, regularization, diagnostics);
        if (broken || HasErrors(diagnostics)) return new PlanResult(null, diagnostics.ToEquatableArray());

        if (model.Context is not null && !template) CheckVariableLength(model, blocks, tokens, diagnostics);
        if (HasErrors(diagnostics)) return new PlanResult(null, diagnostics.ToEquatableArray());

        long total = blocks.SelectMany(b => b.Layers).Sum(l => l.Parameters); // checked: OverflowException → MD0057
        var plannedBlocks = blocks.ToEquatableArray();
        // Only a generated forward can switch layouts; a hand-written one runs as its author wrote it.
        GraphPlan? graphPlan = graph?.Finish(channelsLast: plannedBlocks.Any(b => b.Layers.Any(l => l.PrefersChannelsLast)));
        ChannelsLastPlan? channelsLast = model.HasUserForward || graph is not null ? null : ChannelsLastPlanner.Plan(model.InputShape, plannedBlocks, shape);
        EquatableArray<long> input = graphPlan?.Inputs[0].Shape ?? model.InputShape;
        SummaryTable.Tables summary = SummaryTable.Build(input, plannedBlocks, total, regularization, channelsLast, graphPlan);
        var plan = new ModelPlan(
            model.Type,
            input,
            graphPlan?.Outputs[0].Shape ?? shape,
            plannedBlocks,
            !model.HasUserForward,
            total,
            summary.Full)
        {
            SummaryByDepth = summary.ByDepth,
            HoverSummary = summary.Hover,
            Graph = graphPlan,
            ChannelsLast = channelsLast,
            Regularization = regularization,
            FileScopedNamespace = model.FileScopedNamespace,
            Obsolete = model.Obsolete,
            Tokens = tokens,
            Context = model.Context,
            Generates = Generates(model, plannedBlocks, graphPlan, shape),
        };
        if (!template) plan = plan with { Ensemble = EnsemblePlanner.Plan(model, plan, diagnostics) };
        return new PlanResult(plan, diagnostics.ToEquatableArray());
    }

    /// <summary>Why [Model(Context = T)] cannot be read as token ids [B, t ≤ T], or null when it can.</summary>
    private static string? ContextDeclared(ModelDeclaration model, long context)
    {
        if (context < 1) return $"Context is the longest token sequence the model reads and must be at least 1, but is {context}";
        if (model.InputShape.Count > 0) return $"[Model] gives both an input shape ({Shapes.Format(model.InputShape)}) and Context = {context}; a token model of variable length gives only Context: [Model(Context = {context})]";
        if (GraphPlanner.IsGraph(model)) return "Context is for a chain of layers for now; a graph model (branches, merges, [Input]s, templates) declares its inputs' fixed shapes";
        return null;
    }

    /// <summary>
    /// With Context the input is token ids of any length up to T: the first layer must read tokens, and every layer must
    /// work on any length and keep each step at its position (per-step layers, positional encoding, attention).
    /// </summary>
    private static void CheckVariableLength(ModelDeclaration model, List<PlannedBlock> blocks, TokenInput? tokens, List<DiagnosticInfo> diagnostics)
    {
        void Report(LocationInfo? at, string problem) => diagnostics.Add(new DiagnosticInfo(Descriptors.ContextModel.Id, at, new[] { model.Type.TypeName, problem }.ToEquatableArray()));
        if (tokens is null)
        {
            Report(model.ModelAttributeLocation ?? model.Location, "Context declares Int64 token ids, so the first layer must be [Embedding]; a model of features declares its shape, [Model(T, F)]");
            return;
        }
        foreach (PlannedLayer layer in blocks.SelectMany(b => b.Layers))
        {
            LayerTraits? traits = layer.Source is { } source ? LayerRules.Find(source.Name)?.Traits : null;
            if (traits is not null && (traits.PerStep || traits.KeepsSteps || traits.Activation is not null || traits.TransparentToInitSearch)) continue;
            Report(layer.Source?.Location ?? model.Location, $"{layer.Display} needs sequences of one length (it mixes the steps or changes their number), and Context lets the length vary from 1 to {model.Context}; "
                + "use per-step layers (Dense, LayerNorm, activations, dropout), PositionalEncoding and TransformerEncoder, or declare the fixed length [Model(T)]");
            return;
        }
    }

    /// <summary>The layers of the blocks graph block <paramref name="b"/> reads (what an Embedding first in it would read instead of token ids).</summary>
    private static List<AttributeDeclaration> LayersRead(ModelDeclaration model, int b)
    {
        if (model.Blocks[b].Input is not { } input) return b > 0 ? model.Blocks[b - 1].Layers.ToList() : new List<AttributeDeclaration>();
        return model.Blocks.Where(o => o.MemberName is not null && input.Sources.Contains(o.MemberName)).SelectMany(o => o.Layers).ToList();
    }

    /// <summary>A causal token model of variable length whose output is logits per step gets Generate (autoregressive sampling).</summary>
    private static bool Generates(ModelDeclaration model, EquatableArray<PlannedBlock> blocks, GraphPlan? graph, EquatableArray<long> output)
    {
        var layers = blocks.SelectMany(b => b.Layers).ToList();
        return model.Context is not null && graph is null && !model.HasUserForward && output.Count == 2
            && layers.Any(l => l.Causal == true) && !layers.Any(l => l.Causal == false);
    }

    /// <summary>
    /// Whether the padding mask is still valid after a layer: an Embedding with a padding id starts it; a layer that keeps
    /// each step at its position (activations, per-unit and per-step layers, positional encoding, attention) passes it on; any other
    /// (recurrent, pooling, flatten) ends it for the rest of the model.
    /// </summary>
    private static bool PaddingMaskAfter(LayerRule rule, ImmutableArray<PlannedLayer> planned, bool masked, ref TokenInput? tokens)
    {
        if (planned[0].Tokens is { } input)
        {
            tokens = input;
            return input.PaddingIndex is not null;
        }
        LayerTraits traits = rule.Traits;
        return masked && (traits.Activation is not null || traits.TransparentToInitSearch || traits.KeepsSteps || traits.PerStep);
    }

    /// <summary>
    /// Hands one layer attribute to its rule with the inferred input shape and what its place in the model tells the rule
    /// (first layer, the layers before it, whether the padding mask reaches it); gives the rule it found. Null after an
    /// error (reported), so the caller stops inferring shapes. Shared by plain blocks and the branches and shortcuts of
    /// residual blocks.
    /// </summary>
    internal static ImmutableArray<PlannedLayer>? PlanLayer(ModelDeclaration model, AttributeDeclaration layer, EquatableArray<long> shape, IReadOnlyList<AttributeDeclaration> following, List<DiagnosticInfo> diagnostics,
        out LayerRule? rule, bool isFirst = false, IReadOnlyList<AttributeDeclaration>? preceding = null, bool paddingMasked = false,
        IReadOnlyDictionary<string, EquatableArray<long>>? values = null)
    {
        void Report(DiagnosticDescriptor d, LocationInfo? at, params string[] args) => diagnostics.Add(new DiagnosticInfo(d.Id, at, args.ToEquatableArray()));
        rule = layer.IsCustom ? null : LayerRules.Find(layer.Name);
        if (rule is null && layer.IsCustom)
        {
            Report(Descriptors.CustomLayer, layer.Location, layer.Name);
            return null;
        }
        if (rule is null)
        {
            // A layer attribute the generator does not know yet (a newer runtime): say so instead of skipping it.
            Report(Descriptors.InternalError, layer.Location, model.Type.TypeName, $"the layer [{layer.Name}] is not supported by this generator version");
            return null;
        }
        var context = new LayerContext(rule, layer, shape, following, diagnostics)
        {
            IsFirst = isFirst,
            Preceding = preceding ?? System.Array.Empty<AttributeDeclaration>(),
            PaddingMasked = paddingMasked,
            Values = values ?? new Dictionary<string, EquatableArray<long>>(),
        };
        ImmutableArray<PlannedLayer> planned;
        try
        {
            planned = rule.Plan(context);
        }
        catch (OverflowException)
        {
            Report(Descriptors.SizeTooLarge, layer.Location, layer.Name, $"its output shape or parameter count for the input {Shapes.Format(shape)}");
            return null;
        }
        if (context.HasErrors || planned.IsEmpty) return null;
        var sourced = ImmutableArray.CreateBuilder<PlannedLayer>(planned.Length);
        foreach (PlannedLayer part in planned) sourced.Add(part with { Source = layer });
        // Name = "conv1": the layer's own module (the first the rule plans; an inline activation keeps its generated name).
        if (layer.Text("Name") is { } given) sourced[0] = sourced[0] with { Name = given, NamedByUser = true };
        return sourced.MoveToImmutable();
    }

    private static bool HasErrors(IEnumerable<DiagnosticInfo> diagnostics)
        => diagnostics.Any(d => Descriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error);

    /// <summary>Child names: the rule's base name, numbered from 1 when the container holds more than one (dense1, dense2).</summary>
    internal static List<PlannedLayer> Name(List<PlannedLayer> parts)
    {
        // Usually no name is given and every base name occurs once: nothing to number (this runs for every block of every model).
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (PlannedLayer part in parts)
        {
            if (part.NamedByUser || !seen.Add(part.Name)) return Numbered(parts).ToList();
        }
        return parts;
    }

    private static IEnumerable<PlannedLayer> Numbered(List<PlannedLayer> parts)
    {
        // Names the declaration gives (Name = "conv1") are kept; the numbering of the others skips them (conv2, conv3).
        var given = new HashSet<string>(parts.Where(p => p.NamedByUser).Select(p => p.Name), StringComparer.Ordinal);
        var totals = parts.Where(p => !p.NamedByUser).GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Count());
        var next = new Dictionary<string, int>();
        foreach (PlannedLayer part in parts)
        {
            if (part.NamedByUser)
            {
                yield return part;
                continue;
            }
            if (totals[part.Name] == 1 && !given.Contains(part.Name))
            {
                yield return part;
                continue;
            }
            int n = next.TryGetValue(part.Name, out int last) ? last : 0;
            do n++; while (given.Contains(part.Name + n));
            next[part.Name] = n;
            yield return part with { Name = part.Name + n };
        }
    }

    /// <summary>A block's child name: the member name with a leading underscore dropped and the first letter lowered.</summary>
    internal static string ChildName(string member)
    {
        string trimmed = member.TrimStart('_');
        if (trimmed.Length == 0) trimmed = "block";
        return char.ToLowerInvariant(trimmed[0]) + trimmed.Substring(1);
    }
}
