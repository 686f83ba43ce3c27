using System;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using Xunit;

namespace ModelDsl.Tests.Benchmarks;

/// <summary>
/// Keeps benchmarks/ModelDsl.Benchmarks from rotting without timing anything: every BenchmarkDotNet class is set up
/// (its smallest [Params] value), each [Benchmark] method runs once, and the class is cleaned up. The benchmarks check
/// their own preconditions in setup (one generated file per model, identical weights in each generated/hand-written pair).
/// </summary>
public class BenchmarkSmokeTests
{
    private static readonly Assembly Benchmarks = typeof(ModelDsl.Benchmarks.Program).Assembly;

    public static TheoryData<string> BenchmarkClasses()
    {
        var data = new TheoryData<string>();
        foreach (Type type in BenchmarkTypes()) data.Add(type.FullName!);
        return data;
    }

    private static Type[] BenchmarkTypes()
        => Benchmarks.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && BenchmarkMethods(t).Length > 0).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();

    [Fact]
    public void Every_benchmark_class_of_the_docs_is_found()
    {
        Assert.Equal(
            new[] { "CnnOverheadBenchmarks", "DenseNetOverheadBenchmarks", "EnsembleOverheadBenchmarks", "GeneratorBenchmarks", "GptOverheadBenchmarks", "InceptionOverheadBenchmarks", "LstmOverheadBenchmarks", "MlpOverheadBenchmarks", "PenaltyBenchmarks", "ResNetOverheadBenchmarks", "StackedGemmBenchmarks", "TransformerOverheadBenchmarks", "VectorizedEnsembleBenchmarks" },
            BenchmarkTypes().Select(t => t.Name));
    }

    [Theory]
    [MemberData(nameof(BenchmarkClasses))]
    public void Each_benchmark_runs_once(string typeName)
    {
        Type type = Benchmarks.GetType(typeName, throwOnError: true)!;
        object instance = Activator.CreateInstance(type)!;
        foreach (PropertyInfo property in type.GetProperties().Where(p => p.GetCustomAttribute<ParamsAttribute>() is not null))
            property.SetValue(instance, property.GetCustomAttribute<ParamsAttribute>()!.Values.Min());
        Invoke<GlobalSetupAttribute>(type, instance);
        try
        {
            foreach (MethodInfo benchmark in BenchmarkMethods(type))
            {
                object? result = benchmark.Invoke(instance, null);
                if (result is float value) Assert.True(float.IsFinite(value), $"{type.Name}.{benchmark.Name} returned {value}");
                if (benchmark.ReturnType != typeof(void)) Assert.NotNull(result);
            }
        }
        finally
        {
            Invoke<GlobalCleanupAttribute>(type, instance);
        }
    }

    private static MethodInfo[] BenchmarkMethods(Type type)
        => type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null).ToArray();

    private static void Invoke<TAttribute>(Type type, object instance) where TAttribute : Attribute
    {
        foreach (MethodInfo method in type.GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is not null)) method.Invoke(instance, null);
    }
}
