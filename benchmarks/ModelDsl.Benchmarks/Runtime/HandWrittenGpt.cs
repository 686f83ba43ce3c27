using System;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// <see cref="CardGpt"/> as a TorchSharp user writes nanoGPT without ModelDsl: a token table, learned positions, two
/// pre-LN blocks whose attention splits one input projection into heads and calls libtorch's fused
/// scaled_dot_product_attention with its causal flag, a GELU MLP, a final LayerNorm, and logits x·Eᵀ from the token table
/// (tied). No input checks. State_dict names are the generated ones (nn.MultiheadAttention's parameter names kept).
/// </summary>
public sealed class HandWrittenGpt : nn.Module<Tensor, Tensor>
{
    private const long Width = 128, Heads = 4;
    private readonly Embedding embedding = nn.Embedding(65, Width);
    private readonly PositionTable position = new();
    private readonly Encoder encoder = new();

    public HandWrittenGpt() : base("HandWrittenGpt") => RegisterComponents();

    public override Tensor forward(Tensor ids)
    {
        Tensor x = embedding.forward(ids) + position.pe.narrow(0, 0, ids.shape[1]);
        return nn.functional.linear(encoder.forward(x), embedding.weight!);
    }

    /// <summary>The learned position table, as the generated model names it (<c>position.pe</c>).</summary>
    public sealed class PositionTable : nn.Module
    {
#pragma warning disable IDE1006 // the state_dict name
        public readonly Parameter pe = new(zeros(128, Width));
#pragma warning restore IDE1006

        public PositionTable() : base("PositionTable") => RegisterComponents();
    }

    /// <summary>Two blocks and the final norm (<c>encoder.layers.i.…</c>, <c>encoder.norm</c>).</summary>
    public sealed class Encoder : nn.Module<Tensor, Tensor>
    {
        private readonly ModuleList<Block> layers = new(Enumerable.Range(0, 2).Select(_ => new Block()).ToArray());
        private readonly LayerNorm norm = nn.LayerNorm(Width);

        public Encoder() : base("Encoder") => RegisterComponents();

        public override Tensor forward(Tensor x)
        {
            foreach (Block layer in layers) x = layer.forward(x);
            return norm.forward(x);
        }
    }

    /// <summary>x + Attn(LN(x)), then + MLP(LN(·)), with PyTorch's submodule names.</summary>
    public sealed class Block : nn.Module<Tensor, Tensor>
    {
        private readonly MultiheadAttention self_attn = nn.MultiheadAttention(Width, Heads, dropout: 0.1);
        private readonly Linear linear1 = nn.Linear(Width, 512);
        private readonly Linear linear2 = nn.Linear(512, Width);
        private readonly LayerNorm norm1 = nn.LayerNorm(Width);
        private readonly LayerNorm norm2 = nn.LayerNorm(Width);
        private readonly Dropout dropout = nn.Dropout(0.1);
        private readonly Dropout dropout1 = nn.Dropout(0.1);
        private readonly Dropout dropout2 = nn.Dropout(0.1);

        public Block() : base("Block") => RegisterComponents();

        public override Tensor forward(Tensor x)
        {
            long batch = x.shape[0], steps = x.shape[1];
            Tensor[] qkv = nn.functional.linear(norm1.forward(x), self_attn.get_parameter("in_proj_weight")!, self_attn.get_parameter("in_proj_bias")).chunk(3, -1);
            Tensor Split(Tensor z) => z.reshape(batch, steps, Heads, Width / Heads).transpose(1, 2);
            Tensor mixed = nn.functional.scaled_dot_product_attention(Split(qkv[0]), Split(qkv[1]), Split(qkv[2]), null, training ? 0.1 : 0, is_casual: true);
            Tensor attended = nn.functional.linear(mixed.transpose(1, 2).reshape(batch, steps, Width), self_attn.get_parameter("out_proj.weight")!, self_attn.get_parameter("out_proj.bias"));
            x = x + dropout1.forward(attended);
            Tensor hidden = dropout.forward(nn.functional.gelu(linear1.forward(norm2.forward(x))));
            return x + dropout2.forward(linear2.forward(hidden));
        }
    }
}

/// <summary>
/// The next-token objective the GPT workload times: a GPT's logits at the last step <c>[B, V]</c>, so the shared
/// workload's cross-entropy against one class per row applies (the whole forward and backward run as for all steps).
/// </summary>
public sealed class LastStepLogits : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> model;

    public LastStepLogits(nn.Module<Tensor, Tensor> model) : base("LastStepLogits")
    {
        this.model = model;
        register_module("model", model);
    }

    public override Tensor forward(Tensor ids) => model.forward(ids).select(1, -1);
}
