using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// k independent members of one model combined by an <see cref="EnsembleAggregator"/> (bagging, 5.7). Members live in a
/// registered <see cref="ModuleList{T}"/>, so train()/eval(), to(device) and state_dict (keys <c>members.{i}.…</c>) reach
/// every member. Members may sit on different devices (round robin over a list): each gets the input on its own device and
/// its output comes back to the input's device, where the aggregate is computed.
/// </summary>
/// <typeparam name="TModel">The member model.</typeparam>
public partial class Ensemble<TModel> : nn.Module<Tensor, Tensor> where TModel : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<TModel> members;
    private readonly EnsembleAggregator aggregator;
    private readonly TModel[] memberArray;

    /// <summary>Wraps <paramref name="members"/> (at least two) and optionally places them round robin on <paramref name="devices"/>.</summary>
    public Ensemble(IEnumerable<TModel> members, EnsembleAggregator aggregator, IReadOnlyList<Device>? devices = null, string name = "Ensemble")
        : base(name)
    {
        TModel[] list = members.ToArray();
        if (list.Length < 2) throw new ArgumentException($"{name} needs at least 2 members, but got {list.Length}", nameof(members));
        if (aggregator.Members != list.Length)
            throw new ArgumentException($"{name}: the aggregator expects {aggregator.Members} members, but {list.Length} were given", nameof(aggregator));
        memberArray = list;
        this.members = new ModuleList<TModel>(list);
        this.aggregator = aggregator;
        register_module("members", this.members);
        register_module("aggregator", this.aggregator);
        // Learned or fixed WeightedMean weights take the members' type (a float64 ensemble keeps float64 weights).
        if (list[0].parameters().FirstOrDefault() is { } parameter) this.aggregator.to(parameter.dtype);
        if (devices is not null) PlaceOn(devices);
    }

    /// <summary>The members, in order.</summary>
    public IReadOnlyList<TModel> Members => memberArray;

    /// <summary>The aggregation module (holds learned WeightedMean weights).</summary>
    public EnsembleAggregator Aggregator => aggregator;

    /// <summary>Moves member i to <c>devices[i mod devices.Count]</c>; the aggregator goes to the first device.</summary>
    public void PlaceOn(IReadOnlyList<Device> devices)
    {
        if (devices.Count == 0) throw new ArgumentException("PlaceOn needs at least one device", nameof(devices));
        for (int i = 0; i < members.Count; i++) members[i].to(devices[i % devices.Count]);
        aggregator.to(devices[0]);
    }

    /// <summary>Every member's output on <paramref name="input"/>, stacked member-first: <c>[k, B, …]</c> on the input's device.</summary>
    public Tensor MemberOutputs(Tensor input)
    {
        var outputs = new Tensor[members.Count];
        for (int i = 0; i < outputs.Length; i++)
        {
            Device device = DeviceOf(members[i]) ?? input.device;
            Tensor x = Same(device, input.device) ? input : input.to(device);
            Tensor y = members[i].forward(x);
            outputs[i] = Same(y.device, input.device) ? y : y.to(input.device);
        }
        return stack(outputs);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => aggregator.forward(MemberOutputs(input));

    // By value: Device is a class, and a needless to() would cost two native calls per member and step.
    private static bool Same(Device a, Device b) => a.type == b.type && (a.index == b.index || a.type == DeviceType.CPU);

    private static Device? DeviceOf(TModel member)
    {
        foreach (Parameter p in member.parameters()) return p.device;
        return null;
    }
}
