using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Runtime;

/// <summary>
/// An 8-member ensemble as a TorchSharp user writes it without ModelDsl: a ModuleList of hand-written MLPs under the
/// generated ensemble's state_dict names (<c>members.{i}.…</c>), a loop over the members and the mean of their logits.
/// </summary>
public sealed class HandWrittenEnsemble : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<HandWrittenMlp> members;

    public HandWrittenEnsemble(int count) : base("HandWrittenEnsemble")
    {
        members = new ModuleList<HandWrittenMlp>(Enumerable.Range(0, count).Select(_ => new HandWrittenMlp()).ToArray());
        register_module("members", members);
    }

    public override Tensor forward(Tensor input)
    {
        var outputs = new Tensor[members.Count];
        for (int i = 0; i < outputs.Length; i++) outputs[i] = members[i].forward(input);
        return stack(outputs).mean(new long[] { 0 });
    }
}
