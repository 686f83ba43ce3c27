using System;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// An LSTM or GRU over batch-first sequences as one <c>Module&lt;Tensor, Tensor&gt;</c>: input <c>[B, T, F]</c>, output
/// <c>[B, T, D·H]</c> with <see cref="ReturnSequences"/> (Keras's term) or the last step's <c>[B, D·H]</c> without it,
/// D = 2 when bidirectional. The last step of a bidirectional layer is the forward direction's state after step T and
/// the backward direction's state after step 1 (its last), concatenated: PyTorch's h_n and Keras's Bidirectional.
/// TorchSharp's LSTM/GRU return tuples, hence this wrapper; the cell is its registered child <c>rnn</c>, so state_dict
/// keys are PyTorch's (<c>rnn.weight_ih_l0</c>, …).
/// </summary>
public sealed partial class Recurrent : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // the registered name
    private readonly nn.Module rnn;
#pragma warning restore IDE1006

    /// <summary>Creates the layer with the standard recurrent initialization (<see cref="InitializeStandard"/>).</summary>
    /// <param name="kind">LSTM or GRU.</param>
    /// <param name="inputSize">F, features per step.</param>
    /// <param name="hiddenSize">H, units per direction.</param>
    /// <param name="layers">Stacked layers.</param>
    /// <param name="bidirectional">Also run the sequence backwards and concatenate (D = 2).</param>
    /// <param name="dropout">Dropout between stacked layers, in training only (PyTorch's <c>dropout</c>).</param>
    /// <param name="returnSequences">Every step's output, or the last step's only.</param>
    /// <param name="forgetBias">The LSTM's initial forget-gate bias (ignored by the GRU).</param>
    /// <param name="generator">Seeded draws for the initial weights; null uses TorchSharp's global generator.</param>
    /// <param name="dtype">Parameter type (float32 when null).</param>
    public Recurrent(RecurrentKind kind, long inputSize, long hiddenSize, long layers = 1, bool bidirectional = false, double dropout = 0,
        bool returnSequences = false, double forgetBias = 1.0, Generator? generator = null, ScalarType? dtype = null) : base(kind.ToString())
    {
        if (inputSize < 1 || hiddenSize < 1 || layers < 1)
            throw new ArgumentOutOfRangeException(nameof(hiddenSize), $"{kind} sizes must be positive, but input {inputSize}, hidden {hiddenSize}, layers {layers}");
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, $"{kind} dropout must be in [0, 1)");
        Kind = kind;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        Layers = layers;
        Bidirectional = bidirectional;
        ReturnSequences = returnSequences;
        Dropout = dropout;
        rnn = kind == RecurrentKind.LSTM
            ? nn.LSTM(inputSize, hiddenSize, layers, bias: true, batchFirst: true, dropout: dropout, bidirectional: bidirectional, dtype: dtype)
            : nn.GRU(inputSize, hiddenSize, layers, bias: true, batchFirst: true, dropout: dropout, bidirectional: bidirectional, dtype: dtype);
        register_module(nameof(rnn), rnn);
        InitializeStandard(forgetBias, generator);
    }

    /// <summary>LSTM or GRU.</summary>
    public RecurrentKind Kind { get; }

    /// <summary>F.</summary>
    public long InputSize { get; }

    /// <summary>H per direction.</summary>
    public long HiddenSize { get; }

    /// <summary>Stacked layers.</summary>
    public long Layers { get; }

    /// <summary>D = 2 when true.</summary>
    public bool Bidirectional { get; }

    /// <summary>The dropout rate between stacked layers, in training only (libtorch draws its masks from the global generator).</summary>
    public double Dropout { get; }

    /// <summary>Whether the output is every step's or the last step's.</summary>
    public bool ReturnSequences { get; }

    /// <summary>Gates per cell: 4 for the LSTM, 3 for the GRU.</summary>
    public int Gates => Kind == RecurrentKind.LSTM ? 4 : 3;

    /// <summary>The output width D·H.</summary>
    public long OutputSize => (Bidirectional ? 2 : 1) * HiddenSize;

    /// <summary>The cell's parameter by PyTorch's name (<c>weight_ih_l0</c>, <c>bias_hh_l1_reverse</c>, …).</summary>
    public Parameter Parameter(string name)
        => rnn.named_parameters().FirstOrDefault(p => p.name == name).parameter
           ?? throw new ArgumentException($"{Kind} has no parameter '{name}'", nameof(name));

    /// <summary>
    /// The recurrent-network defaults the field settled on, for every layer and direction:
    /// input weights Glorot-uniform over the whole [G·H, F] matrix (Keras's <c>kernel_initializer</c>; Glorot and Bengio
    /// 2010); each gate's [H, H] block of the recurrent weights orthogonal (Saxe et al. 2014: orthogonal recurrences keep
    /// gradient norms through time); biases zero, except the LSTM's forget-gate bias 1 (Jozefowicz et al. 2015: the
    /// cell remembers by default until it learns to forget). PyTorch adds two biases, so b_ih's forget block is 1 and
    /// b_hh's 0.
    /// </summary>
    /// <param name="forgetBias">The LSTM's forget-gate bias (1 by default; ignored by the GRU).</param>
    /// <param name="generator">Seeded draws; null uses TorchSharp's global generator.</param>
    public void InitializeStandard(double forgetBias = 1.0, Generator? generator = null)
    {
        using var noGrad = no_grad();
        foreach ((string name, Parameter parameter) in rnn.named_parameters())
        {
            if (name.StartsWith("weight_ih", StringComparison.Ordinal)) Initializers.XavierUniform(parameter, 1.0, generator);
            else if (name.StartsWith("weight_hh", StringComparison.Ordinal))
            {
                for (int gate = 0; gate < Gates; gate++) Initializers.Orthogonal(parameter.narrow(0, gate * HiddenSize, HiddenSize), 1.0, generator);
            }
            else
            {
                parameter.zero_();
                if (Kind == RecurrentKind.LSTM && name.StartsWith("bias_ih", StringComparison.Ordinal))
                    parameter.narrow(0, HiddenSize, HiddenSize).fill_(forgetBias); // gate order i, f, g, o
            }
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">The input is not [B, T, F] with this layer's F.</exception>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 3 || input.shape[2] != InputSize)
            throw new ShapeMismatchException(Kind.ToString(), $"[B, T, {InputSize}]", ShapeMismatchException.Format(input.shape));
        (Tensor output, Tensor lastHidden) = Kind == RecurrentKind.LSTM ? Lstm(input) : Gru(input);
        if (ReturnSequences) return output;
        output.Dispose(); // the last step is read from h_n
        // h_n is [layers·D, B, H]; the top layer's directions are its last D rows. One direction: its last row, a view
        // (what a hand-written h_n[-1] costs: one op per step instead of narrow, permute and reshape).
        if (!Bidirectional) return lastHidden.select(0, -1);
        Tensor top = lastHidden.narrow(0, lastHidden.shape[0] - 2, 2);
        return top.permute(1, 0, 2).reshape(input.shape[0], OutputSize);
    }

    private (Tensor, Tensor) Lstm(Tensor input)
    {
        var (output, h, c) = ((LSTM)rnn).forward(input, null);
        c.Dispose();
        return (output, h);
    }

    private (Tensor, Tensor) Gru(Tensor input) => ((GRU)rnn).forward(input, null);
}
