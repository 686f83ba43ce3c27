using System;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// <see cref="CardVit"/> as a TorchSharp user writes it without ModelDsl (TorchSharp 0.107's TransformerEncoderLayer has
/// neither batch_first nor norm_first, so the pre-LN layer is written out): a strided Conv2d cutting 7×7 patches, a
/// learned position table, two pre-LN layers of nn.MultiheadAttention (sequence first, hence the transposes) and a GELU
/// feed-forward network, a final LayerNorm, the mean over patches and a Linear. No input checks. State_dict names are
/// the generated ones without the <c>patches.</c>, <c>position.</c> and <c>encoder.</c> prefixes.
/// </summary>
public sealed class HandWrittenVit : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d proj = nn.Conv2d(1, 64, 7, stride: 7);
    private readonly Parameter pe = new(zeros(16, 64));
    private readonly ModuleList<Block> layers = new(Enumerable.Range(0, 2).Select(_ => new Block()).ToArray());
    private readonly LayerNorm norm = nn.LayerNorm(64);
    private readonly Linear dense = nn.Linear(64, 10);

    public HandWrittenVit() : base("HandWrittenVit") => RegisterComponents();

    public override Tensor forward(Tensor input)
    {
        Tensor x = proj.forward(input).flatten(2).transpose(1, 2) + pe;
        foreach (Block layer in layers) x = layer.forward(x);
        return dense.forward(norm.forward(x).mean(new long[] { 1 }));
    }

    /// <summary>x + Attn(LN(x)), then + FFN(LN(·)), with PyTorch's submodule names.</summary>
    public sealed class Block : nn.Module<Tensor, Tensor>
    {
        private readonly MultiheadAttention self_attn = nn.MultiheadAttention(64, 4, dropout: 0.1);
        private readonly Linear linear1 = nn.Linear(64, 128);
        private readonly Linear linear2 = nn.Linear(128, 64);
        private readonly LayerNorm norm1 = nn.LayerNorm(64);
        private readonly LayerNorm norm2 = nn.LayerNorm(64);
        private readonly Dropout dropout = nn.Dropout(0.1);
        private readonly Dropout dropout1 = nn.Dropout(0.1);
        private readonly Dropout dropout2 = nn.Dropout(0.1);

        public Block() : base("Block") => RegisterComponents();

        public override Tensor forward(Tensor x)
        {
            Tensor normed = norm1.forward(x).transpose(0, 1);
            (Tensor attended, Tensor weights) = self_attn.forward(normed, normed, normed, null, false, null);
            weights?.Dispose();
            x = x + dropout1.forward(attended.transpose(0, 1));
            Tensor hidden = dropout.forward(nn.functional.gelu(linear1.forward(norm2.forward(x))));
            return x + dropout2.forward(linear2.forward(hidden));
        }
    }
}
