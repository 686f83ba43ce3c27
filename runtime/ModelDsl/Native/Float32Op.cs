namespace ModelDsl;

/// <summary>
/// The operations whose float32 precision libtorch lets oneDNN choose separately: libtorch's <c>at::Float32Op</c>
/// (PyTorch's <c>torch.backends.mkldnn.conv</c> and <c>.matmul</c>). libtorch 2.10 has a third, <c>rnn</c>, which it
/// does not pass on to oneDNN (an LSTM gave the same outputs bit for bit either way), so ModelDsl leaves it out.
/// </summary>
public enum Float32Op
{
    /// <summary>Convolutions and transposed convolutions oneDNN runs, forward and backward.</summary>
    Conv,

    /// <summary>Matrix products oneDNN runs (<c>matmul</c>, <c>mm</c>, <c>bmm</c>).</summary>
    Matmul,
}
