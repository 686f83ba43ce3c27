using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// Plans one use of a [Block] template: checks the use's [With] against the template's parameters, puts the values into
/// the layer arguments that name them, plans the template's blocks as a small model on the use's input shape, and gives
/// the use one block whose layers are the template's, named <c>{inner block}.{layer}</c> (<c>squeeze.conv</c>), so
/// shapes, init, summary rows, weight-decay groups and state_dict names are per use. A template block that uses another
/// template is planned the same way inside, so a nested use's layers read <c>{block}.{inner block}.{layer}</c>.
/// </summary>
internal static class TemplatePlanner
{
    /// <summary>The use's planned block and its output shape.</summary>
    internal sealed record Result(PlannedBlock Block, EquatableArray<long> Output);

    public static Result? Plan(BlockDeclaration use, TemplateDeclaration template, EquatableArray<long> input, List<DiagnosticInfo> diagnostics)
    {
        string member = use.MemberName ?? "";
        void Report(LocationInfo? at, string problem)
            => diagnostics.Add(new DiagnosticInfo(Descriptors.TemplateUse.Id, at ?? use.WithLocation ?? use.Location, new[] { member, template.Name, problem }.ToEquatableArray()));

        if (template.Cycle is { } cycle)
        {
            Report(use.Location, $"{template.Name} would contain itself ({cycle}); a template cannot use itself, directly or through other templates");
            return null;
        }
        int before = diagnostics.Count;
        foreach (DiagnosticInfo found in template.ParseDiagnostics)
            if (!diagnostics.Contains(found)) diagnostics.Add(found);
        if (use.Layers.Count > 0) Report(use.Location, "a template use holds the template's layers only; put these layers in the template or on a block of their own");
        if (template.HasClassLayers) Report(template.ClassLayersLocation, $"the template {template.Name} declares layers on its class; a template's layers go on its named blocks");
        if (template.Blocks.Count == 0) Report(use.Location, $"the template {template.Name} declares no blocks");

        var values = new Dictionary<string, (double Value, bool IsInteger)>(System.StringComparer.Ordinal);
        foreach (TemplateArgument argument in use.With)
        {
            TemplateParameter? parameter = template.Parameters.FirstOrDefault(p => p.Name == argument.Name);
            if (parameter is null)
                Report(argument.Location, $"'{argument.Name}' is no parameter of {template.Name}; its parameters are {List(template)}");
            else if (values.ContainsKey(argument.Name))
                Report(argument.Location, $"'{argument.Name}' is given twice");
            else if (argument.Value is not { } value)
                Report(argument.Location, $"'{argument.Name}' needs a number after its name");
            else if (parameter.IsInteger && value != System.Math.Floor(value))
                Report(argument.Location, $"'{argument.Name}' is an integer parameter, and {value} is not an integer");
            else values[argument.Name] = (value, parameter.IsInteger);
        }
        foreach (TemplateParameter missing in template.Parameters.Where(p => !values.ContainsKey(p.Name) && !use.With.Any(a => a.Name == p.Name)))
            Report(use.WithLocation, $"the parameter '{missing.Name}' is not given; write [With(nameof({template.Name}.{missing.Name}), value, …)] with every parameter");
        if (diagnostics.Skip(before).Any(IsError)) return null;

        // The template's blocks with this use's values in the arguments that name parameters: layer arguments, and the
        // [With] values of a block that uses another template (planned in turn by PlanTemplate, as a model's use is).
        var blocks = new List<BlockDeclaration>();
        foreach (BlockDeclaration block in template.Blocks)
        {
            var layers = new List<AttributeDeclaration>();
            foreach (AttributeDeclaration layer in block.Layers)
            {
                var arguments = new List<ArgumentValue>();
                foreach (ArgumentValue argument in layer.Arguments)
                {
                    if (argument.Expression is not { } expression)
                    {
                        arguments.Add(argument);
                        continue;
                    }
                    if (TemplateExpression.Evaluate(expression, values, out double result, out _, out string? problem))
                        arguments.Add(argument with { Kind = ArgumentKind.Number, Number = result, Text = null, Expression = null });
                    else
                        Report(argument.Location ?? layer.Location, $"the argument '{expression}' of [{layer.Name}] in {template.Name}.{block.MemberName}: {problem}");
                }
                layers.Add(layer with { Arguments = arguments.ToEquatableArray() });
            }
            var with = new List<TemplateArgument>();
            foreach (TemplateArgument argument in block.With)
            {
                if (argument.Expression is not { } expression)
                    with.Add(argument);
                else if (TemplateExpression.Evaluate(expression, values, out double result, out bool integer, out string? problem))
                    with.Add(argument with { Value = result, IsInteger = integer, Expression = null });
                else
                    Report(argument.Location ?? block.WithLocation, $"the value '{expression}' of '{argument.Name}' in the [With] of {template.Name}.{block.MemberName}: {problem}");
            }
            blocks.Add(block with { Layers = layers.ToEquatableArray(), With = with.ToEquatableArray() });
        }
        if (diagnostics.Skip(before).Any(IsError)) return null;

        var model = new ModelDeclaration(
            new TypeHierarchy(null, EquatableArray<TypeDeclarationInfo>.Empty, new TypeDeclarationInfo("class", template.Name, EquatableArray<TypeParameterInfo>.Empty, "public"), template.Name),
            template.Location, use.Location, input, blocks.ToEquatableArray(), EquatableArray<AttributeDeclaration>.Empty, false, EquatableArray<DiagnosticInfo>.Empty);
        var inner = new List<DiagnosticInfo>();
        ModelPlan? plan = ModelPlanner.PlanTemplate(model, inner);
        // Each use plans the template again: a problem in the template is reported once, at the template.
        foreach (DiagnosticInfo found in inner)
            if (!diagnostics.Contains(found)) diagnostics.Add(found);
        if (plan is null) return null;

        var layersOfUse = new List<PlannedLayer>();
        var parts = new List<TemplatePart>();
        for (int b = 0; b < plan.Blocks.Count; b++)
        {
            PlannedBlock block = plan.Blocks[b];
            foreach (PlannedLayer layer in block.Layers) layersOfUse.Add(layer with { Name = block.ChildName + "." + layer.Name });
            parts.Add(new TemplatePart(block.ChildName!, block.Layers.Count)
            {
                Residual = block.Residual,
                Template = block.Template,
                Reads = plan.Graph is { } graph ? SummaryTable.Reads(graph, b) : null,
                InputShape = block.InputShape,
            });
        }
        var planned = new PlannedBlock(use.MemberName, ModelPlanner.ChildName(member), use.Property, use.IsNullable, input, layersOfUse.ToEquatableArray())
        {
            Template = new TemplateUsePlan(template.FullName, parts.ToEquatableArray()),
        };
        return new Result(planned, plan.OutputShape);
    }

    private static string List(TemplateDeclaration template)
        => template.Parameters.Count == 0 ? "none" : string.Join(", ", template.Parameters.Select(p => p.Name));

    private static bool IsError(DiagnosticInfo d) => Descriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error;
}
