using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// A call the generated constructor makes, as data: a module's construction (<c>nn.Linear(784, 256, hasBias: true,
/// dtype: dtype)</c>, <c>new ModelDsl.GaussianNoise(std: 0.1)</c>) or an initializer (<c>Initializers.HeNormal(layer.weight,
/// gain: 1.41, FanMode.FanIn, generator)</c>). <c>Emit/CallWriter</c> writes it; planning never writes C#.
/// </summary>
/// <param name="Callee">The fully qualified method or type (global::…).</param>
/// <param name="IsConstructor">True for <c>new Callee(…)</c>, false for a method call.</param>
internal sealed record CallPlan(string Callee, bool IsConstructor, EquatableArray<CallArgument> Arguments)
{
    public static CallPlan Method(string callee, params CallArgument[] arguments) => new(callee, false, arguments.ToEquatableArray());

    public static CallPlan New(string type, params CallArgument[] arguments) => new(type, true, arguments.ToEquatableArray());
}

/// <summary>What an argument of a <see cref="CallPlan"/> holds.</summary>
internal enum CallValueKind
{
    /// <summary>A whole number (the one item of <see cref="CallArgument.Longs"/>).</summary>
    Long,
    /// <summary>A double, written round-trip exact.</summary>
    Double,
    /// <summary>true or false.</summary>
    Bool,
    /// <summary>
    /// A name the generated constructor defines (<c>dtype</c>, <c>generator</c>), <c>null</c>, or a fully qualified enum
    /// member (<c>global::ModelDsl.FanMode.FanIn</c>): <see cref="CallArgument.Symbol"/>, chosen by a rule, never user text.
    /// </summary>
    Symbol,
    /// <summary>A shape as <c>new long[] { … }</c> (<see cref="CallArgument.Longs"/>).</summary>
    LongArray,
    /// <summary>Doubles as <c>new double[] { … }</c>, each held exactly as its bits in <see cref="CallArgument.Longs"/> (<see cref="CallArgument.Doubles"/>).</summary>
    DoubleArray,
    /// <summary>Another call (<see cref="CallArgument.Inner"/>): the module a wrapper wraps.</summary>
    Call,
    /// <summary>A parameter of the layer being built (<see cref="CallArgument.Symbol"/>: weight or bias), with '!' when <see cref="CallArgument.Number"/> is 1.</summary>
    Parameter,
}

/// <summary>One argument: optionally named (<c>hasBias: true</c>), with a typed value.</summary>
internal sealed record CallArgument(string? Name, CallValueKind Kind, double Number, string? Symbol, EquatableArray<long> Longs, CallPlan? Inner)
{
    /// <summary>A long, kept exact in <see cref="Longs"/> (a double holds whole numbers only up to 2^53).</summary>
    public static CallArgument Long(long value, string? name = null) => new(name, CallValueKind.Long, 0, null, new(System.Collections.Immutable.ImmutableArray.Create(value)), null);

    public static CallArgument Double(double value, string? name = null) => new(name, CallValueKind.Double, value, null, EquatableArray<long>.Empty, null);

    public static CallArgument Bool(bool value, string? name = null) => new(name, CallValueKind.Bool, value ? 1 : 0, null, EquatableArray<long>.Empty, null);

    public static CallArgument Symbolic(string symbol, string? name = null) => new(name, CallValueKind.Symbol, 0, symbol, EquatableArray<long>.Empty, null);

    public static CallArgument Shape(EquatableArray<long> shape, string? name = null) => new(name, CallValueKind.LongArray, 0, null, shape, null);

    /// <summary>An array of doubles (an upsampling scale per axis), stored as their bits so the record stays equatable and exact.</summary>
    public static CallArgument Doubles(double[] values, string? name = null)
        => new(name, CallValueKind.DoubleArray, 0, null, System.Linq.Enumerable.Select(values, System.BitConverter.DoubleToInt64Bits).ToEquatableArray(), null);

    public static CallArgument Call(CallPlan inner, string? name = null) => new(name, CallValueKind.Call, 0, null, EquatableArray<long>.Empty, inner);

    /// <summary>The layer's weight or bias; <paramref name="notNull"/> writes '!' (TorchSharp types bias, and some weights, as nullable).</summary>
    public static CallArgument Parameter(string parameter, bool notNull = false) => new(null, CallValueKind.Parameter, notNull ? 1 : 0, parameter, EquatableArray<long>.Empty, null);

    /// <summary>The model's dtype constructor parameter, passed to every layer with parameters or buffers.</summary>
    public static readonly CallArgument DType = Symbolic("dtype", "dtype");

    /// <summary>The seeded generator of the constructor (null without a seed).</summary>
    public static readonly CallArgument Generator = Symbolic("generator");
}
