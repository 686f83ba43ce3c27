using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// <see cref="CardLstm"/> as a TorchSharp user writes it without ModelDsl: a batch-first nn.LSTM and a Linear on the top
/// layer's last hidden state h_n[-1], no input check. Its state_dict names are the generated ones without the
/// <c>lstm.</c> prefix of the generated wrapper (<see cref="OverheadPairs.Lstm"/> copies the weights across).
/// </summary>
public sealed class HandWrittenLstm : nn.Module<Tensor, Tensor>
{
    private readonly LSTM rnn = nn.LSTM(28, 128, batchFirst: true);
    private readonly Linear dense = nn.Linear(128, 10);

    public HandWrittenLstm() : base("HandWrittenLstm") => RegisterComponents();

    public override Tensor forward(Tensor input)
    {
        var (output, h, c) = rnn.forward(input, null);
        output.Dispose();
        c.Dispose();
        return dense.forward(h.select(0, -1));
    }
}
