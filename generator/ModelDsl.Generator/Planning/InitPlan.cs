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
    public sealed record Result(EquatableArray<CallPlan> Statements, string Summary);

    private const string Api = "global::ModelDsl.Initializers";

    /// <param name="fanIn">in_features (times the kernel area for a convolution).</param>
    /// <param name="fanOut">out_features (times the kernel area for a convolution).</param>
    public static Result? Plan(LayerContext context, string layerDisplay, long fanIn, long fanOut, bool hasBias)
    {
        AttributeDeclaration layer = context.Layer;
        string init = context.Enum("Init");
        string biasInit = context.Enum("BiasInit");
        FanModeInfo mode = context.Enum("InitMode") == "FanOut" ? new("FanOut", fanOut, "fan_out") : new("FanIn", fanIn, "fan_in");
        AttributeDeclaration? activation = InlineActivation(context) ?? context.NextActivation();
        ActivationGain? activationGain = activation is null ? null : LayerRules.Find(activation.Name)?.Traits.Activation;
        var statements = new List<CallPlan>();
        string summary;
        CallArgument weight = CallArgument.Parameter("weight");

        WarnIgnoredOptions(context, layerDisplay, init);
        if (layer.Has("InitGain") && context.Number("InitGain") <= 0)
        {
            context.Report(Descriptors.InitDoesNotFit, layerDisplay, "InitGain must be positive, but is " + Invariant.Short(context.Number("InitGain")));
            return null;
        }

        double gain = context.Number("InitGain");
        switch (init)
        {
            case "Default":
                statements.Add(CallPlan.Method(Api + ".TorchDefault", weight, hasBias && biasInit == "Default" ? CallArgument.Parameter("bias") : CallArgument.Symbolic("null"), CallArgument.Generator));
                summary = $"default U(±1/√{fanIn})";
                break;
            case "Zeros":
                context.Report(Descriptors.SymmetricInit, layerDisplay + " (Init = Zeros)");
                statements.Add(CallPlan.Method(Api + ".Zeros", weight));
                summary = "zeros";
                break;
            case "Constant":
                double value = context.Number("InitValue");
                context.Report(Descriptors.SymmetricInit, layerDisplay + " (Init = Constant)");
                statements.Add(CallPlan.Method(Api + ".Constant", weight, CallArgument.Double(value)));
                summary = "constant " + Invariant.Short(value);
                break;
            case "Normal":
                double mean = context.Number("InitMean"), std = context.Number("InitStd");
                if (std <= 0)
                {
                    context.Report(Descriptors.InitDoesNotFit, layerDisplay, "InitStd must be positive for Init = Normal, but is " + Invariant.Short(std));
                    return null;
                }
                statements.Add(CallPlan.Method(Api + ".Normal", weight, CallArgument.Double(mean, "mean"), CallArgument.Double(std, "std"), CallArgument.Generator));
                summary = $"N({Invariant.Short(mean)}, {Invariant.Short(std)}²)";
                break;
            case "Uniform":
                double low = context.Number("InitLow"), high = context.Number("InitHigh");
                if (!(low < high))
                {
                    context.Report(Descriptors.InitDoesNotFit, layerDisplay, $"Init = Uniform needs InitLow < InitHigh, but they are {Invariant.Short(low)} and {Invariant.Short(high)}");
                    return null;
                }
                statements.Add(CallPlan.Method(Api + ".Uniform", weight, CallArgument.Double(low, "low"), CallArgument.Double(high, "high"), CallArgument.Generator));
                summary = $"U({Invariant.Short(low)}, {Invariant.Short(high)})";
                break;
            case "Xavier":
            case "XavierUniform":
                if (activationGain == ActivationGain.Rectifier)
                    context.Report(Descriptors.XavierBeforeReLU, layerDisplay, activation!.Name);
                double xavierStd = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
                bool normal = init == "Xavier";
                statements.Add(CallPlan.Method($"{Api}.{(normal ? "XavierNormal" : "XavierUniform")}", weight, CallArgument.Double(gain, "gain"), CallArgument.Generator));
                summary = $"Xavier {(normal ? "normal" : "uniform")}, std {Invariant.Short(gain)}·√(2/({fanIn}+{fanOut})) = {Invariant.Short(xavierStd)}";
                break;
            case "He":
            case "HeUniform":
                if (activationGain == ActivationGain.Saturating)
                    context.Report(Descriptors.HeBeforeSaturating, layerDisplay, activation!.Name);
                double slope = activation is null ? 0 : LayerRules.Find(activation.Name)?.NegativeSlope(activation) ?? 0;
                double heGain = layer.Has("InitGain") ? gain : HeGain(slope);
                string gainText = layer.Has("InitGain") ? Invariant.Short(heGain) : slope == 0 ? "√2" : $"√(2/(1+{Invariant.Short(slope)}²))";
                bool heNormal = init == "He";
                statements.Add(CallPlan.Method($"{Api}.{(heNormal ? "HeNormal" : "HeUniform")}", weight, CallArgument.Double(heGain, "gain"), CallArgument.Symbolic("global::ModelDsl.FanMode." + mode.Name), CallArgument.Generator));
                summary = $"He {(heNormal ? "normal" : "uniform")}, std {gainText}/√{mode.Fan} = {Invariant.Short(heGain / Math.Sqrt(mode.Fan))}";
                break;
            case "LeCun":
                statements.Add(CallPlan.Method(Api + ".LeCunNormal", weight, CallArgument.Double(gain, "gain"), CallArgument.Symbolic("global::ModelDsl.FanMode." + mode.Name), CallArgument.Generator));
                summary = $"LeCun normal, std {(gain == 1 ? "1" : Invariant.Short(gain))}/√{mode.Fan} = {Invariant.Short(gain / Math.Sqrt(mode.Fan))}";
                break;
            case "Orthogonal":
                statements.Add(CallPlan.Method(Api + ".Orthogonal", weight, CallArgument.Double(gain, "gain"), CallArgument.Generator));
                summary = $"orthogonal, gain {Invariant.Short(gain)}";
                break;
            default:
                context.Report(Descriptors.InitDoesNotFit, layerDisplay, $"Init = {init} is not supported for this layer");
                return null;
        }

        if (!PlanBias(context, layerDisplay, init, biasInit, hasBias, statements, ref summary)) return null;
        return new Result(statements.ToEquatableArray(), summary);
    }

    /// <summary>He's gain √(2/(1 + a²)) for a rectifier with negative slope a (√2 for ReLU; He et al. 2015, eq. 15; PyTorch's calculate_gain).</summary>
    public static double HeGain(double slope) => Math.Sqrt(2.0 / (1 + slope * slope));

    private static bool PlanBias(LayerContext context, string layerDisplay, string init, string biasInit, bool hasBias, List<CallPlan> statements, ref string summary)
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
                statements.Add(CallPlan.Method(Api + ".Zeros", CallArgument.Parameter("bias", notNull: true)));
                summary += "; bias 0";
                return true;
            case "Constant":
                double value = context.Number("BiasValue");
                statements.Add(CallPlan.Method(Api + ".Constant", CallArgument.Parameter("bias", notNull: true), CallArgument.Double(value)));
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
        Check("BiasValue", context.Enum("BiasInit") == "Constant", "BiasInit = Constant");
    }

    private static AttributeDeclaration? InlineActivation(LayerContext context)
    {
        string name = context.Enum("Activation");
        return name == "None" ? null : new AttributeDeclaration(name, EquatableArray<ArgumentValue>.Empty, context.Layer.Location);
    }

    private sealed record FanModeInfo(string Name, long Fan, string Label);
}
