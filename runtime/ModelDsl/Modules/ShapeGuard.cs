using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>Checks an input tensor against a model's declared input shape and its parameters' dtype (cheap managed checks).</summary>
public static class ShapeGuard
{
    // The first floating-point parameter of each model, searched again when Module.to(dtype) has replaced (and disposed) it.
    private static readonly ConditionalWeakTable<nn.Module, FirstParameter> firstParameters = new();

    private sealed class FirstParameter
    {
        public Parameter? Value;
        public bool Searched;
    }

    /// <summary>Throws <see cref="ShapeMismatchException"/> unless <paramref name="input"/> is [B, ..shape].</summary>
    public static void RequireBatchOf(Tensor input, IReadOnlyList<long> shape, string layer)
    {
        long[] actual = input.shape;
        bool ok = actual.Length == shape.Count + 1;
        for (int i = 0; ok && i < shape.Count; i++) ok = actual[i + 1] == shape[i];
        if (!ok) throw new ShapeMismatchException(layer, "[B, " + string.Join(", ", shape) + "]", ShapeMismatchException.Format(actual));
    }

    /// <summary>
    /// Throws <see cref="ShapeMismatchException"/> unless the inputs of one call of a model with several have the same
    /// batch size (dimension 0): <paramref name="other"/> must match <paramref name="first"/>.
    /// </summary>
    public static void RequireSameBatch(Tensor first, string firstName, Tensor other, string otherName, string model)
    {
        long batch = first.shape[0];
        if (other.shape[0] != batch)
            throw new ShapeMismatchException($"{model} (input '{otherName}')", $"a batch of {batch}, as input '{firstName}' has", ShapeMismatchException.Format(other.shape));
    }

    /// <summary>
    /// Throws unless <paramref name="input"/> is [B, ..shape] (<see cref="ShapeMismatchException"/>) and of the dtype of
    /// <paramref name="model"/>'s parameters (<see cref="ArgumentException"/> naming both dtypes, instead of libtorch's
    /// "expected scalar type" error from inside the first layer). A model without floating-point parameters takes any dtype.
    /// </summary>
    public static void RequireBatchOf(Tensor input, IReadOnlyList<long> shape, string layer, nn.Module model)
    {
        RequireBatchOf(input, shape, layer);
        RequireTypeOf(input, layer, model);
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming both dtypes unless <paramref name="input"/> has the dtype of
    /// <paramref name="model"/>'s floating-point parameters (any dtype for a model without them).
    /// </summary>
    public static void RequireTypeOf(Tensor input, string layer, nn.Module model)
    {
        if (ParameterType(model) is ScalarType expected && input.dtype != expected)
        {
            throw new ArgumentException(
                $"{layer} holds {expected} parameters, but the input is {input.dtype}: convert the input (input.to(ScalarType.{expected})) "
                + $"or the model (model.to(ScalarType.{input.dtype})) so both agree", nameof(input));
        }
    }

    /// <summary>
    /// Throws unless <paramref name="input"/> is Int64 token ids [B, ..shape] (a model whose first layer is an Embedding):
    /// <see cref="ShapeMismatchException"/> for the shape, <see cref="System.ArgumentException"/> for floats.
    /// </summary>
    public static void RequireTokensOf(Tensor input, IReadOnlyList<long> shape, string layer)
    {
        if (input.dtype != ScalarType.Int64)
            throw new System.ArgumentException($"{layer} reads Int64 token ids [B, {string.Join(", ", shape)}], but the input holds {input.dtype}; pass token ids (torch.int64), not features", nameof(input));
        RequireBatchOf(input, shape, layer);
    }

    /// <summary>
    /// Throws unless <paramref name="input"/> is Int64 token ids [B, t] with 1 ≤ t ≤ <paramref name="context"/> (a model
    /// declared with <c>[Model(Context = T)]</c>): <see cref="ShapeMismatchException"/> naming T for the shape,
    /// <see cref="System.ArgumentException"/> for floats.
    /// </summary>
    public static void RequireTokensUpTo(Tensor input, long context, string layer)
    {
        if (input.dtype != ScalarType.Int64)
            throw new System.ArgumentException($"{layer} reads Int64 token ids [B, t ≤ {context}], but the input holds {input.dtype}; pass token ids (torch.int64), not features", nameof(input));
        if (input.dim() != 2 || input.shape[1] < 1 || input.shape[1] > context)
            throw new ShapeMismatchException(layer, $"[B, t] with 1 ≤ t ≤ {context} (the model's Context)", ShapeMismatchException.Format(input.shape));
    }

    private static ScalarType? ParameterType(nn.Module model)
    {
        FirstParameter first = firstParameters.GetValue(model, _ => new FirstParameter());
        if (!first.Searched || first.Value is { IsInvalid: true })
        {
            first.Value = null;
            foreach (Parameter parameter in model.parameters())
            {
                if (!parameter.is_floating_point()) continue;
                first.Value = parameter;
                break;
            }
            first.Searched = true;
        }
        return first.Value?.dtype;
    }
}
