using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace ModelDsl.Generator.Diagnostics;

/// <summary>
/// Every diagnostic ModelDsl reports. Ranges: MD0001–0019 model and layers (generator core), MD0020–0029 weight
/// decay and regularization, MD0030–0039 convolution and image normalization, MD0040–0049 ensembles,
/// MD0050–0059 declarations, names and constant values, MD0060–0069 sequences, MD0070–0079 residual blocks, MD0080–0084 generated names against the user's, MD0085–0089 layer semantics (issue #23), MD0090–0098 graph models, MD0099 internal errors, MD0100–0109 weights files checked at compile time. Documented in docs/diagnostics.md and tracked in AnalyzerReleases.*.md.
/// </summary>
internal static class Descriptors
{
    private const string Usage = "ModelDsl.Usage";
    private const string Advice = "ModelDsl.Advice";
    /// <summary>
    /// The page each help link points into: the absolute URL given at build/pack time (<c>-p:ModelDslDocsUrl=https://…/diagnostics.md</c>,
    /// recorded as assembly metadata by the project file), which an IDE can open; without one, the repository-relative
    /// path, because the package has no web home yet and an invented address would mislead.
    /// </summary>
    private static readonly string HelpBase = (DocsUrl() ?? "docs/diagnostics.md") + "#";

    private static string? DocsUrl()
    {
        foreach (object attribute in typeof(Descriptors).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false))
        {
            if (attribute is System.Reflection.AssemblyMetadataAttribute { Key: "ModelDsl.DocsUrl", Value: { Length: > 0 } url }) return url;
        }
        return null;
    }

    private static readonly Dictionary<string, DiagnosticDescriptor> byId = new();

    public static readonly DiagnosticDescriptor NotPartial = Error("MD0001", "Model class must be partial",
        "'{0}' must be declared partial (and so must every type containing it) so ModelDsl can generate its module");

    public static readonly DiagnosticDescriptor MissingInputShape = Error("MD0002", "Model needs an input shape",
        "[Model] on '{0}' needs its input shape without the batch dimension, e.g. [Model(784)] or [Model(1, 28, 28)]");

    public static readonly DiagnosticDescriptor NonPositiveSize = Error("MD0003", "Sizes must be positive",
        "{0} must be a positive number, but is {1}");

    public static readonly DiagnosticDescriptor DropoutOutOfRange = Error("MD0004", "Dropout probability out of range",
        "Dropout {0} must be in {1}, but is {2}");

    public static readonly DiagnosticDescriptor DropoutRateAndKeep = Error("MD0005", "Give dropout exactly one of rate or keep",
        "Dropout needs exactly one of a drop rate (Dropout(0.5)) or a keep probability (Dropout(Keep = 0.5)); {0}");

    public static readonly DiagnosticDescriptor LayerOutsideModel = Error("MD0006", "Layer attribute outside a model",
        "[{0}] has no effect: '{1}' has no [Model(...)] attribute; add [Model(inputShape)] to the class");

    public static readonly DiagnosticDescriptor InitDoesNotFit = Error("MD0008", "Initialization does not fit the layer",
        "{0}: {1}");

    public static readonly DiagnosticDescriptor ActivationPlacement = Warning("MD0009", "Output-only activation in the middle of the stack",
        "{0} normalizes over classes and belongs at the end of the model; it is followed here by {1}", Usage);

    public static readonly DiagnosticDescriptor SymmetricInit = Warning("MD0010", "Constant initialization keeps units symmetric",
        "{0} initializes every weight to the same value, so all units of the layer get the same gradient and stay identical (chapter 5.1.1); use He for ReLU or Xavier for tanh/sigmoid", Advice);

    public static readonly DiagnosticDescriptor HeBeforeSaturating = Warning("MD0011", "He initialization before a saturating activation",
        "{0} uses He initialization but is followed by {1}; He (Var = 2/fan) is derived for ReLU, use Init = Xavier for sigmoid/tanh (chapter 5.1.3)", Advice);

    public static readonly DiagnosticDescriptor XavierBeforeReLU = Warning("MD0012", "Xavier initialization before ReLU",
        "{0} uses Xavier initialization but is followed by {1}; ReLU halves the variance at each layer, use Init = He (chapter 5.1.4)", Advice);

    public static readonly DiagnosticDescriptor LowKeepProbability = Warning("MD0013", "Keep probability below 0.5",
        "Dropout keeps only {0} of the units; the chapter recommends keeping 0.8 on inputs and 0.5 on hidden units (5.8.1)", Advice);

    public static readonly DiagnosticDescriptor InvalidBlock = Error("MD0014", "Invalid named block",
        "Named block '{0}' {1}");

    public static readonly DiagnosticDescriptor EmptyModel = Error("MD0015", "Model has no layers",
        "'{0}' declares no layers: put layer attributes such as [Dense(10)] on the class or on partial properties");

    public static readonly DiagnosticDescriptor InitOptionIgnored = Warning("MD0016", "Initialization option has no effect",
        "{0}: {1} is ignored unless {2}", Usage);

    public static readonly DiagnosticDescriptor ModelHasBaseClass = Error("MD0017", "Model class declares a base class",
        "'{0}' derives from '{1}', but ModelDsl generates the base class TorchSharp.torch.nn.Module<Tensor, Tensor>; remove the base class");

    public static readonly DiagnosticDescriptor KerasMomentum = Warning("MD0019", "Batch-norm momentum looks like Keras's convention",
        "BatchNorm Momentum = {0} is the weight of each new batch (PyTorch's convention: running = (1 − m)·running + m·batch), so the running statistics follow the last few batches almost alone; Keras's momentum {0} is Momentum = {1} here", Advice);

    public static readonly DiagnosticDescriptor NoNonlinearity = Info("MD0018", "No nonlinearity between two weight layers",
        "{0} reaches {1} {2}: together they compute one affine map, and He initialization assumes a ReLU follows; add an activation such as ReLU after {0} unless a linear model is intended", Advice);

    public static readonly DiagnosticDescriptor UndeclaredDecayGroup = Error("MD0020", "Weight-decay group is not declared",
        "{0} uses weight-decay group '{1}', but '{2}' declares no [WeightDecay(\"{1}\", L2 = …)]; declare the group on the class or remove Group = \"{1}\"");

    public static readonly DiagnosticDescriptor UnusedDecayGroup = Warning("MD0021", "Weight-decay group is not used",
        "{0} on '{1}' decays nothing: {2}", Usage);

    public static readonly DiagnosticDescriptor NegativeRegularization = Error("MD0022", "Regularization strength is negative",
        "{0}: {1} must be zero or positive, but is {2}");

    public static readonly DiagnosticDescriptor DuplicateDecayGroup = Error("MD0023", "Weight-decay group declared twice",
        "Weight-decay group '{0}' is declared more than once on '{1}'; merge the [WeightDecay] attributes into one");

    public static readonly DiagnosticDescriptor WeightNoiseNotSupported = Error("MD0024", "Weight noise is not supported on this layer",
        "{0}: WeightNoise applies to Dense layers only; remove it here or put GaussianNoise after the layer");

    public static readonly DiagnosticDescriptor DenseNeedsFlatten = Error("MD0030", "Dense layer needs a flat input",
        "{0} needs a flat input [B, F], but receives {1}; add [Flatten] before it");

    public static readonly DiagnosticDescriptor SpatialSizeTooSmall = Error("MD0031", "Spatial size shrinks to nothing",
        "{0} turns the {1} input into {2}: {3}");

    public static readonly DiagnosticDescriptor GroupsDoNotDivide = Error("MD0032", "Groups must divide the channels",
        "GroupNorm({0}) needs the group count to divide the {1} channels of its input; use one of {2}");

    public static readonly DiagnosticDescriptor NormDoesNotFit = Error("MD0033", "Normalization does not fit the shape",
        "{0} cannot normalize input of shape {1}; it applies to {2}");

    public static readonly DiagnosticDescriptor InstanceNormOnFeatures = Error("MD0034", "Instance norm on flat features",
        "InstanceNorm normalizes each channel of an image over (H, W), but receives flat features {0}, where each sample has one value per channel; use LayerNorm or BatchNorm here, or move InstanceNorm before Flatten");

    public static readonly DiagnosticDescriptor NeedsImage = Error("MD0035", "Layer needs an image input",
        "{0} needs an image input [B, C, H, W], but receives {1}; declare the model with channels, e.g. [Model(1, 28, 28)], and keep it before Flatten");

    public static readonly DiagnosticDescriptor SamePaddingNeedsStrideOne = Error("MD0036", "Padding = Same needs stride 1",
        "{0}: Padding = Same keeps the input's height and width, which a stride of {1} cannot; use Stride = 1, or a numeric padding such as Padding = {2}");

    public static readonly DiagnosticDescriptor InvalidPadding = Error("MD0037", "Invalid padding",
        "{0}: Padding must be a non-negative whole number or Padding.Same / Padding.Valid, but is {1}");
    public static readonly DiagnosticDescriptor EnsembleSize = Error("MD0040", "Ensemble size out of range",
        "[Ensemble] on '{0}' asks for {1} members; an ensemble needs between 2 and 64 members");

    public static readonly DiagnosticDescriptor LargeEnsemble = Warning("MD0041", "More ensemble members than the chapter advises",
        "The ensemble has {0} members; beyond about 20 each member adds little (the correlated part (k−1)c/k of the error variance does not shrink) while cost grows linearly (chapter 5.7); consider 5 to 20", Advice);

    public static readonly DiagnosticDescriptor AggregationDoesNotFit = Error("MD0042", "Aggregation does not fit the model's output",
        "Aggregation.{0} votes over classes, but '{1}' cannot be voted on: {2}; use Aggregation.Mean or WeightedMean, or end the model in class scores (e.g. [Dense(10)] or [Softmax])");

    public static readonly DiagnosticDescriptor NotVectorizable = Warning("MD0043", "Ensemble members cannot be vectorized",
        "The ensemble of '{0}' runs its members one after another instead of vectorized: {1}", Usage);

    public static readonly DiagnosticDescriptor EnsembleWeights = Error("MD0044", "Invalid ensemble weights",
        "[Ensemble] Weights are invalid: {0}; give one non-negative weight per member with Aggregation = Aggregation.WeightedMean, or omit Weights to learn them");

    public static readonly DiagnosticDescriptor NotFinite = Error("MD0050", "Option value is not a finite number",
        "{0}: {1} must be a finite number, but is {2}");

    public static readonly DiagnosticDescriptor UndefinedEnumValue = Error("MD0051", "Option value is not a member of its enum",
        "{0}: {1} = {2} names no member of the enum {3}; use one of its named values");

    public static readonly DiagnosticDescriptor LanguageVersionTooLow = Error("MD0052", "C# version too low for ModelDsl",
        "'{0}' is compiled as C# {1}, but ModelDsl's generated code needs C# {2} or later; set <LangVersion> to {2} or later");

    public static readonly DiagnosticDescriptor UnsupportedDeclaration = Error("MD0053", "Model declaration cannot take the generated module",
        "'{0}' {1}");

    public static readonly DiagnosticDescriptor NameCollision = Error("MD0054", "Generated member collides with a member of the class",
        "{0} would generate {1}, but '{2}' already declares {3}; rename one of them");

    public static readonly DiagnosticDescriptor CustomLayer = Error("MD0055", "Custom layer attributes are not supported",
        "[{0}] derives from LayerAttribute, but ModelDsl generates only its own layers; write a custom layer as a field or partial property holding your own Module<Tensor, Tensor> and a hand-written forward that calls it (docs/dsl-reference.md, \"Custom layers\")");

    public static readonly DiagnosticDescriptor LayersOnSeveralDeclarations = Error("MD0056", "Class-level layers spread over several partial declarations",
        "The layers of '{0}' are written on more than one partial declaration, whose order the compiler does not fix; put the class-level layer attributes on one declaration, or use named blocks");

    public static readonly DiagnosticDescriptor SizeTooLarge = Error("MD0057", "Size too large",
        "{0}: {1} does not fit in a 64-bit count; use smaller sizes");

    public static readonly DiagnosticDescriptor NeedsSequence = Error("MD0060", "Layer needs a sequence",
        "{0} reads sequences [B, T, F], but its input is {1}; declare the model's input as [Model(T, F)], or put the layer after one that returns sequences (ReturnSequences = true, PatchEmbedding)");

    public static readonly DiagnosticDescriptor InvalidTransformer = Error("MD0061", "Transformer encoder does not fit",
        "{0}: {1}");

    public static readonly DiagnosticDescriptor PatchesDoNotTile = Error("MD0062", "Patches do not tile the image",
        "{0} cuts {1} into {2}×{2} patches, but the height and width must be multiples of {2}; pick a patch size that divides both, or pad or crop the image");

    public static readonly DiagnosticDescriptor EmbeddingNotFirst = Error("MD0063", "Embedding must be the first layer",
        "{0} reads Int64 token ids, which only the model's input holds, but it comes after {1}, which would read the token ids as floats; move the Embedding to the top of the model and remove what comes before it");

    public static readonly DiagnosticDescriptor PaddingIndexOutOfRange = Error("MD0064", "Padding index outside the vocabulary",
        "{0}: PaddingIndex = {1} is not a token id of a vocabulary of {2} (0 to {3}); use an id in that range, or leave PaddingIndex unset for no padding");

    public static readonly DiagnosticDescriptor TokensNotSequence = Error("MD0065", "Token input is not a sequence of ids",
        "{0} reads token ids [B, T], but the model declares its input as {1}; declare [Model(T)] with the sequence length T");

    public static readonly DiagnosticDescriptor BatchNormOnSequence = Warning("MD0066", "Batch norm on a sequence",
        "BatchNorm on the sequence {0} normalizes each of its {1} features with statistics over the batch and all {2} steps, which mixes examples and counts padding steps; layer normalization is the norm meant for recurrent and attention models (chapter 5.3.3): use [LayerNorm], or keep BatchNorm and suppress MD0066 where batch statistics are what you want", Advice);

    public static readonly DiagnosticDescriptor PaddingReadAsData = Warning("MD0067", "Layer reads padding steps as data",
        "{0} reads the padding steps (token id {1}) as data: unlike TransformerEncoder and GlobalAvgPool1d it cannot skip them, so a padded sequence gives another output than the same sequence unpadded; for a recurrent layer pad on the left (its last step is then a token), or read the tokens with TransformerEncoder and GlobalAvgPool1d, or suppress MD0067 where the padding is meant to be read", Advice);

    public static readonly DiagnosticDescriptor ContextModel = Error("MD0068", "Context does not fit the model",
        "{0}: {1}");

    public static readonly DiagnosticDescriptor TiedWeights = Error("MD0069", "Tied weights do not fit",
        "{0} with TiedToEmbedding: {1}");

    public static readonly DiagnosticDescriptor InternalError = Error("MD0099", "ModelDsl generator failed",
        "ModelDsl could not generate '{0}': {1}. Please report this with the model's attributes");

    // MD0070–0079: residual blocks ([Residual], issue #17).
    public static readonly DiagnosticDescriptor ShortcutDoesNotFit = Error("MD0070", "Residual shortcut cannot match the branch",
        "The residual block '{0}' maps {1} to {2}, {3}");

    public static readonly DiagnosticDescriptor ZeroGammaNeedsNorm = Error("MD0071", "Zero-γ needs a final norm in the branch",
        "BranchInit = ZeroGamma on the residual block '{0}' needs a norm with a learnable γ (BatchNorm, LayerNorm, GroupNorm or InstanceNorm with Affine) after the branch's last weight layer, but {1}; add one, or use BranchInit = ZeroWeights");

    public static readonly DiagnosticDescriptor BranchInitNeedsWeights = Error("MD0072", "Branch init needs weight layers",
        "BranchInit = {1} on the residual block '{0}' needs {2}, but {3}");

    public static readonly DiagnosticDescriptor ResidualWithUserForward = Error("MD0073", "Residual block in a model with its own forward",
        "The residual block '{0}' needs the forward ModelDsl generates, which knows its input shape and chooses its shortcut, but '{1}' writes its own forward; remove [Residual] and add the skip connection in your forward, or remove your forward");

    public static readonly DiagnosticDescriptor ResidualRepeat = Error("MD0074", "Residual Repeat out of range",
        "[Residual] on '{0}' has Repeat = {1}; a residual block stacks between 1 and 1000 units");

    public static readonly DiagnosticDescriptor FixupWithNorm = Warning("MD0075", "Fixup in a branch with normalization",
        "The residual block '{0}' uses BranchInit = Fixup, made for networks without normalization (Zhang et al. 2019), but its branch normalizes with {1}; remove the norm, or use BranchInit = ZeroGamma", Advice);

    public static readonly DiagnosticDescriptor ResidualOption = Error("MD0076", "Residual block option does not fit",
        "[Residual] on '{0}': {1}");

    // MD0080–0084: generated members against the user's (issue #23).
    public static readonly DiagnosticDescriptor SignatureCollision = Error("MD0080", "Member has the signature of a generated one",
        "{0} would generate {1}, but '{2}' already declares {3} with the same parameter types; change its parameters or remove it");

    public static readonly DiagnosticDescriptor LayerNameNotUsable = Error("MD0081", "Layer name not usable",
        "Name = \"{0}\" on [{1}] in {2}: {3}");

    // MD0085–0089: layer semantics (issue #23).
    public static readonly DiagnosticDescriptor RecurrentDropoutUnused = Warning("MD0085", "Recurrent dropout with one layer does nothing",
        "{0}: Dropout = {1} acts only between stacked layers (on the outputs of every layer but the last, as PyTorch's nn.{2}), so with Layers = 1 it drops nothing; set Layers above 1, or put a [Dropout] after the layer, or remove Dropout", Advice);

    // MD0090–0098: graph models (branches, merges, several inputs and outputs).
    public static readonly DiagnosticDescriptor GraphUnknownSource = Error("MD0090", "Block reads a name that does not exist",
        "Block '{0}' reads '{1}', which is no block or input of {2}; it can read {3}");

    public static readonly DiagnosticDescriptor GraphReadsLater = Error("MD0091", "Block reads itself or a later block",
        "Block '{0}' reads '{1}', {2}: blocks run in declaration order, so this would be a cycle; read a block declared above '{0}', or move '{1}' above it");

    public static readonly DiagnosticDescriptor GraphMergeShapes = Error("MD0092", "Merged shapes do not fit",
        "[{0}] on '{1}' cannot join '{2}' {3} and '{4}' {5}: {6}");

    public static readonly DiagnosticDescriptor GraphMergeOfOne = Error("MD0093", "Merge of fewer than two sources",
        "[{0}] on '{1}' joins {2}; name at least two sources, or read one with [From(...)]");

    public static readonly DiagnosticDescriptor GraphUnusedNode = Warning("MD0094", "Branch reaches no output",
        "{0} '{1}' {2} reaches no output: no later block reads it and it is no [Output]; read it, mark it [Output], or remove it", Advice);

    public static readonly DiagnosticDescriptor GraphInputTwice = Error("MD0095", "Block declares what it reads twice",
        "Block '{0}' declares what it reads with {1} and again with {2}; keep one (a merge names all its sources)");

    public static readonly DiagnosticDescriptor GraphDuplicateName = Error("MD0096", "Name declared twice in the graph",
        "'{0}' names {1} and {2}; blocks read by name, so give each input and block its own");

    public static readonly DiagnosticDescriptor GraphNotSupported = Error("MD0097", "Graph model cannot do this",
        "{0}: {1}");

    public static readonly DiagnosticDescriptor TemplateUse = Error("MD0098", "Block template use does not fit",
        "'{0}' uses the block template {1}: {2}");

    public static readonly DiagnosticDescriptor WeightsFileNotGiven = Error("MD0100", "Weights file is no AdditionalFile",
        "[Model(WeightsFile = \"{0}\")] on '{1}' names a file the build was not given; add <ModelDslWeightsFile Include=\"path/to/{0}\" /> to the project file (the build then hands the analyzer its header), or remove WeightsFile");

    public static readonly DiagnosticDescriptor WeightsFileUnreadable = Error("MD0101", "Weights file header cannot be read",
        "The weights file '{0}' of '{1}' cannot be checked: {2}; give a .safetensors file (SaveWeights or safetensors' save_file write one), or remove WeightsFile");

    public static readonly DiagnosticDescriptor WeightsMissing = Error("MD0102", "Weights file lacks a declared tensor",
        "The weights file '{0}' has no tensor '{1}', which '{2}' declares as {3} {4}; a strict load would fail: give the layer or block the file's name (Name = ...), or change the declaration");

    public static readonly DiagnosticDescriptor WeightsUnexpected = Error("MD0103", "Weights file has an undeclared tensor",
        "The weights file '{0}' holds the tensor '{1}' ({2} {3}), which '{4}' does not declare; a strict load would fail: declare the layer it belongs to, or name a layer after it");

    public static readonly DiagnosticDescriptor WeightsShape = Error("MD0104", "Weights file tensor has another shape",
        "The tensor '{0}' of the weights file '{1}' is {2}, but '{3}' declares it {4}; change the layer's sizes to the file's");

    public static readonly DiagnosticDescriptor WeightsDtype = Warning("MD0105", "Weights file tensor has another dtype",
        "The tensor '{0}' of the weights file '{1}' is {2}, but '{3}' holds {4}; load with WeightsLoadOptions {{ ConvertFloatingDtypes = true }} to convert it, or save the file as {4}", Usage);

    public static readonly DiagnosticDescriptor WeightsRenameUnused = Error("MD0106", "Weights rename matches no key",
        "[RenameWeights(\"{0}\", \"{1}\")] on '{2}': no state_dict key of the model is '{1}' or starts with '{1}.'; give a prefix of its keys, such as '{3}'");

    public static readonly DiagnosticDescriptor ConvolutionGroups = Error("MD0110", "Convolution groups do not divide the channels",
        "{0}: Groups = {1} must be a whole number of at least 1 that divides the input channels ({2}) and the output channels ({3}); give a common divisor (the input channels for a depthwise convolution with as many outputs)");

    public static readonly DiagnosticDescriptor ChannelsNotDivisible = Error("MD0111", "Channel groups do not divide the channels",
        "{0}: {1} = {2} must divide the {3} channels it splits; give a divisor of {3}");

    public static readonly DiagnosticDescriptor TransposedConvolutionOption = Error("MD0112", "Transposed convolution option out of range",
        "{0}: {1}; {2}");

    public static readonly DiagnosticDescriptor UpsampleSize = Error("MD0113", "Upsample's output size is not given once",
        "{0}: {1}; give a scale factor, [Upsample(2)], or the value whose height and width the output takes, [Upsample(SizeOf = \"input\")] or [Upsample(SizeOf = nameof(Block))] naming a block declared above");

    public static readonly DiagnosticDescriptor WeightsRenamePlaceholders = Error("MD0107", "Weights rename placeholders differ",
        "[RenameWeights(\"{0}\", \"{1}\")] on '{2}': the file prefix has {3} {{n}} and the model prefix {4}; give both sides the same number of {{n}}, as each number read on one side fills a placeholder on the other");

    public static DiagnosticDescriptor ById(string id) => byId[id];

    public static IEnumerable<DiagnosticDescriptor> All => byId.Values;

    public static readonly DiagnosticDescriptor DecoderMemory = Error("MD0114", "TransformerDecoder's memory cannot be read",
        "{0}: {1}");

    internal static DiagnosticDescriptor Error(string id, string title, string message, string category = Usage)
        => Register(new DiagnosticDescriptor(id, title, message, category, DiagnosticSeverity.Error, true, helpLinkUri: HelpBase + id.ToLowerInvariant()));

    internal static DiagnosticDescriptor Warning(string id, string title, string message, string category)
        => Register(new DiagnosticDescriptor(id, title, message, category, DiagnosticSeverity.Warning, true, helpLinkUri: HelpBase + id.ToLowerInvariant()));

    internal static DiagnosticDescriptor Info(string id, string title, string message, string category)
        => Register(new DiagnosticDescriptor(id, title, message, category, DiagnosticSeverity.Info, true, helpLinkUri: HelpBase + id.ToLowerInvariant()));

    private static DiagnosticDescriptor Register(DiagnosticDescriptor descriptor)
    {
        byId[descriptor.Id] = descriptor;
        return descriptor;
    }
}
