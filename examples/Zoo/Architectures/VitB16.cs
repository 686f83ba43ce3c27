using ModelDsl;
using TorchSharp.Modules;

namespace Zoo;

/// <summary>
/// torchvision's <c>vit_b_16</c> (Dosovitskiy et al. 2021, ViT-Base/16): 16×16 patches embedded to 768 by a strided
/// convolution, a learned class token in front, a learned position embedding, twelve pre-LN encoder layers (12 heads,
/// MLP 3072 with GELU, layer norm ε = 10⁻⁶) with a final layer norm, and the class token's output through the head.
/// Renames map torchvision's encoder names (<c>encoder_layer_N.ln_1</c>, <c>self_attention</c>, <c>mlp.0</c>) onto
/// PyTorch's <c>nn.TransformerEncoderLayer</c> names the DSL's encoder uses (<c>layers.N.norm1</c>, <c>self_attn</c>,
/// <c>linear1</c>).
/// </summary>
[Model(3, 224, 224)]
[RenameWeights("conv_proj", "patches.patch.proj"), RenameWeights("class_token", "tokens.classtoken.class_token"), RenameWeights("encoder.pos_embedding", "tokens.posembedding.pos_embedding")]
[RenameWeights("encoder.layers.encoder_layer_{n}.ln_1", "encoder.transformer.layers.{n}.norm1"), RenameWeights("encoder.layers.encoder_layer_{n}.ln_2", "encoder.transformer.layers.{n}.norm2")]
[RenameWeights("encoder.layers.encoder_layer_{n}.self_attention", "encoder.transformer.layers.{n}.self_attn")]
[RenameWeights("encoder.layers.encoder_layer_{n}.mlp.0", "encoder.transformer.layers.{n}.linear1"), RenameWeights("encoder.layers.encoder_layer_{n}.mlp.3", "encoder.transformer.layers.{n}.linear2")]
[RenameWeights("encoder.ln", "encoder.transformer.norm"), RenameWeights("heads.head", "head.head")]
public partial class VitB16
{
    [PatchEmbedding(16, 768, Name = "patch")] public partial Sequential Patches { get; }

    [ClassToken, PositionEmbedding] public partial Sequential Tokens { get; }

    [TransformerEncoder(12, 3072, Layers = 12, Dropout = 0, Activation = Activation.GELU, Eps = 1e-6, Name = "transformer")]
    public partial Sequential Encoder { get; }

    [SelectToken(0), Dense(1000, Name = "head")] public partial Sequential Head { get; }
}
