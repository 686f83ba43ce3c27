using System;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Multi-head attention computed from an nn.MultiheadAttention's own parameters (so state_dict names stay PyTorch's),
/// softmax(q·kᵀ/√(D/H) + mask)·v per head (Vaswani et al. 2017, eq. 1) through libtorch's scaled_dot_product_attention:
/// the causal self-attention of <see cref="TransformerEncoderLayer"/> and both attentions of
/// <see cref="TransformerDecoderLayer"/>. Written by hand because TorchSharp 0.107's MultiheadAttention ignores a Bool
/// attn_mask and has no key/value cache.
/// </summary>
internal static class ScaledAttention
{
    /// <summary>
    /// Queries from <paramref name="queries"/> [B, n, D], keys and values from <paramref name="keysValues"/> [B, t, D]
    /// (the same tensor for self-attention), each split into <paramref name="heads"/> heads: [B, H, n|t, D/H].
    /// </summary>
    public static (Tensor Q, Tensor K, Tensor V) Project(MultiheadAttention module, long heads, Tensor queries, Tensor keysValues)
    {
        Tensor weight = module.get_parameter("in_proj_weight")!;
        Tensor? bias = module.get_parameter("in_proj_bias");
        long d = queries.shape[2];
        Tensor Split(Tensor z) => z.reshape(z.shape[0], z.shape[1], heads, d / heads).transpose(1, 2);
        if (ReferenceEquals(queries, keysValues))
        {
            Tensor[] qkv = nn.functional.linear(queries, weight, bias).chunk(3, -1);
            return (Split(qkv[0]), Split(qkv[1]), Split(qkv[2]));
        }
        Tensor q = nn.functional.linear(queries, weight.narrow(0, 0, d), bias?.narrow(0, 0, d));
        Tensor[] kv = nn.functional.linear(keysValues, weight.narrow(0, d, 2 * d), bias?.narrow(0, d, 2 * d)).chunk(2, -1);
        return (Split(q), Split(kv[0]), Split(kv[1]));
    }

    /// <summary>
    /// Which keys each query may not read, [n, t] or [B, 1, n, t]: with <paramref name="causal"/> the keys after the query's
    /// absolute position (query i is step <paramref name="offset"/> + i), and the padding keys of
    /// <paramref name="keyPadding"/> [B, t]. A query left with no key reads its own step (causal) or every key (across
    /// sequences): finite where a softmax over nothing would be NaN. Null when nothing is blocked.
    /// </summary>
    public static Tensor? Blocked(long queries, long keys, long offset, bool causal, Tensor? keyPadding, Device device)
    {
        if (!causal && keyPadding is null) return null;
        Tensor blocked = causal ? ones(queries, keys, ScalarType.Bool, device: device).triu(offset + 1) : zeros(queries, keys, ScalarType.Bool, device: device);
        if (keyPadding is not null) blocked = blocked.unsqueeze(0).logical_or(keyPadding.unsqueeze(1)); // [B, n, t]
        Tensor rescue = causal ? ones(queries, keys, ScalarType.Bool, device: device).triu(offset).tril(offset) : ones(queries, keys, ScalarType.Bool, device: device);
        blocked = blocked.logical_and(blocked.all(-1, keepdim: true).logical_and(rescue).logical_not());
        return blocked.dim() == 3 ? blocked.unsqueeze(1) : blocked; // [B, 1, n, t], broadcast over heads
    }

    /// <summary>The attention of q over k, v with <paramref name="blocked"/> keys left out (a Bool attn_mask of scaled_dot_product_attention is true where a query may read), merged from heads and projected out: [B, n, D].</summary>
    public static Tensor Attend(MultiheadAttention module, Tensor q, Tensor k, Tensor v, Tensor? blocked, bool causalFlag, double dropout)
    {
        Tensor mixed = nn.functional.scaled_dot_product_attention(q, k, v, blocked?.logical_not(), dropout, is_casual: causalFlag);
        long batch = mixed.shape[0], steps = mixed.shape[2];
        mixed = mixed.transpose(1, 2).reshape(batch, steps, mixed.shape[1] * mixed.shape[3]);
        return nn.functional.linear(mixed, module.get_parameter("out_proj.weight")!, module.get_parameter("out_proj.bias"));
    }
}
