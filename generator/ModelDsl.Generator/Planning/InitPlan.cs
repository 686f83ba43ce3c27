using System;
using System.Collections.Generic;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// Turns a parametrized layer's Init options into initializer calls, a summary text with the resulting standard
/// deviation (computed here, at compile time, from the fans), and the chapter's advice as diagnostics.
/// </summary>
internal static class InitPlan
{
    public sealed record Result(EquatableArray<string> Statements, string Summary);

    private const string Api = "global::ModelDsl.Initializers";

    /// <param name="fanIn">in_features (times the kernel area for a convolution).</param>
    /// <param name="fanOut">out_features (times the kernel area for a convolution).</param>
    public static Result? Plan(LayerContext context, string layerDisplay, long fanIn, long fanOut, bool hasBias)
    {
        AttributeDeclaration layer = context.Layer;
        string init = layer.EnumMember("Init", "Default");
        string biasInit = layer.EnumMember("BiasInit", "Default");
        FanModeInfo mode = layer.EnumMember("InitMode", "FanIn") == "FanOut" ? new("FanOut", fanOut, "fan_out") : new("FanIn", fanIn, "fan_in");
        AttributeDeclaration? activation = InlineActivation(layer) ?? context.NextActivation();
        var statements = new List<string>();
        string summary;

        WarnIgnoredOptions(context, layerDisplay, init);
        if (layer.Has("InitGain") && layer.Number("InitGain", 1) <= 0)
        {
            context.Report(Descriptors.InitDoesNotFit, layerDisplay, "InitGain must be positive, but is " + Invariant.Short(layer.Number("InitGain", 1)));
            return null;
        }

        double gain = layer.Number("InitGain", 1.0);
        switch (init)
        {
            case "Default":
                statements.Add($"{Api}.TorchDefault({{layer}}.weight, {(hasBias && biasInit == "Default" ? "{layer}.bias" : "null")}, generator);");
                summary = $"default U(±1/√{fanIn})";
                break;
            case "Zeros":
                context.Report(Descriptors.SymmetricInit, layerDisplay + " (Init = Zeros)");
                statements.Add($"{Api}.Zeros({{layer}}.weight);");
                summary = "zeros";
                break;
            case "Constant":
                double value = layer.Number("InitValue", 0);
                context.Report(Descriptors.SymmetricInit, layerDisplay + " (Init = Constant)");
                statements.Add($"{Api}.Constant({{layer}}.weight, {Invariant.Double(value)});");
                summary = "constant " + Invariant.Short(value);
                break;
            case "Normal":
                double mean = layer.Number("InitMean", 0), std = layer.Number("InitStd", 0.01);
                if (std <= 0)
                {
                    context.Report(Descriptors.InitDoesNotFit, layerDisplay, "InitStd must be positive for Init = Normal, but is " + Invariant.Short(std));
                    return null;
                }
                statements.Add($"{Api}.Normal({{layer}}.weight, mean: {Invariant.Double(mean)}, std: {Invariant.Double(std)}, generator);");
                summary = $"N({Invariant.Short(mean)}, {Invariant.Short(std)}²)";
                break;
            case "Uniform":
                double low = layer.Number("InitLow", -0.05), high = layer.Number("InitHigh", 0.05);
                if (!(low < high))
                {
                    context.Report(Descriptors.InitDoesNotFit, layerDisplay, $"Init = Uniform needs InitLow < InitHigh, but they are {Invariant.Short(low)} and {Invariant.Short(high)}");
                    return null;
                }
                statements.Add($"{Api}.Uniform({{layer}}.weight, low: {Invariant.Double(low)}, high: {Invariant.Double(high)}, generator);");
                summary = $"U({Invariant.Short(low)}, {Invariant.Short(high)})";
                break;
            case "Xavier":
            case "XavierUniform":
                if (activation is not null && Activations.IsRectifier(activation.Name) && activation.Name != "GELU")
                    context.Report(Descriptors.XavierBeforeReLU, layerDisplay, activation.Name);
                double xavierStd = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
                bool normal = init == "Xavier";
                statements.Add($"{Api}.{(normal ? "XavierNormal" : "XavierUniform")}({{layer}}.weight, gain: {Invariant.Double(gain)}, generator);");
                summary = $"Xavier {(normal ? "normal" : "uniform")}, std {Invariant.Short(gain)}·√(2/({fanIn}+{fanOut})) = {Invariant.Short(xavierStd)}";
                break;
            case "He":
            case "HeUniform":
                if (activation is not null && Activations.IsSaturating(activation.Name))
                    context.Report(Descriptors.HeBeforeSaturating, layerDisplay, activation.Name);
                double slope = Activations.Slope(activation);
                double heGain = layer.Has("InitGain") ? gain : Activations.HeGain(slope);
                string gainText = layer.Has("InitGain") ? Invariant.Short(heGain) : slope == 0 ? "√2" : $"√(2/(1+{Invariant.Short(slope)}²))";
                bool heNormal = init == "He";
                statements.Add($"{Api}.{(heNormal ? "HeNormal" : "HeUniform")}({{layer}}.weight, gain: {Invariant.Double(heGain)}, global::ModelDsl.FanMode.{mode.Name}, generator);");
                summary = $"He {(heNormal ? "normal" : "uniform")}, std {gainText}/√{mode.Fan} = {Invariant.Short(heGain / Math.Sqrt(mode.Fan))}";
                break;
            case "LeCun":
                statements.Add($"{Api}.LeCunNormal({{layer}}.weight, gain: {Invariant.Double(gain)}, global::ModelDsl.FanMode.{mode.Name}, generator);");
                summary = $"LeCun normal, std {(gain == 1 ? "1" : Invariant.Short(gain))}/√{mode.Fan} = {Invariant.Short(gain / Math.Sqrt(mode.Fan))}";
                break;
            case "Orthogonal":
                statements.Add($"{Api}.Orthogonal({{layer}}.weight, gain: {Invariant.Double(gain)}, generator);");
                summary = $"orthogonal, gain {Invariant.Short(gain)}";
                break;
            default:
                context.Report(Descriptors.InitDoesNotFit, layerDisplay, $"Init = {init} is not supported for this layer");
                return null;
        }

        if (!PlanBias(context, layerDisplay, init, biasInit, hasBias, statements, ref summary)) return null;
        return new Result(statements.ToEquatableArray(), summary);
    }

    private static bool PlanBias(LayerContext context, string layerDisplay, string init, string biasInit, bool hasBias, List<string> statements, ref string summary)
    {
        if (!hasBias)
        {
            if (biasInit != "Default")
            {
                context.Report(Descriptors.InitDoesNotFit, layerDisplay, "BiasInit is set but the layer has Bias = false");
                return false;
            }
            return true;
        }
        switch (biasInit)
        {
            case "Default" when init == "Default":
                return true; // TorchDefault already drew the bias
            case "Default":
            case "Zeros":
                statements.Add($"{Api}.Zeros({{layer}}.bias!);");
                summary += "; bias 0";
                return true;
            case "Constant":
                double value = context.Layer.Number("BiasValue", 0);
                statements.Add($"{Api}.Constant({{layer}}.bias!, {Invariant.Double(value)});");
                summary += "; bias " + Invariant.Short(value);
                return true;
            default:
                context.Report(Descriptors.InitDoesNotFit, layerDisplay, $"BiasInit = {biasInit} is not supported; biases take Zeros or Constant (with BiasValue)");
                return false;
        }
    }

    private static void WarnIgnoredOptions(LayerContext context, string layerDisplay, string init)
    {
        void Check(string option, bool applies, string condition)
        {
            if (context.Layer.Has(option) && !applies) context.Report(Descriptors.InitOptionIgnored, layerDisplay, option, condition);
        }
        Check("InitValue", init == "Constant", "Init = Constant");
        Check("InitMean", init == "Normal", "Init = Normal");
        Check("InitStd", init == "Normal", "Init = Normal");
        Check("InitLow", init == "Uniform", "Init = Uniform");
        Check("InitHigh", init == "Uniform", "Init = Uniform");
        Check("InitMode", init is "He" or "HeUniform" or "LeCun", "Init is He, HeUniform or LeCun");
        Check("InitGain", init is "Xavier" or "XavierUniform" or "He" or "HeUniform" or "LeCun" or "Orthogonal", "Init is Xavier, He, LeCun or Orthogonal");
        Check("BiasValue", context.Layer.EnumMember("BiasInit", "Default") == "Constant", "BiasInit = Constant");
    }

    private static AttributeDeclaration? InlineActivation(AttributeDeclaration layer)
    {
        string name = layer.EnumMember("Activation", "None");
        return name == "None" ? null : new AttributeDeclaration(name, EquatableArray<ArgumentValue>.Empty, layer.Location);
    }

    private sealed record FanModeInfo(string Name, long Fan, string Label);
}
