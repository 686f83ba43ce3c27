using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Declarations;

/// <summary>
/// Issue #14, part 2: legal declarations that used to crash the generator or give generated code that does not compile
/// now generate code that compiles with zero warnings. One test per kind; the property test
/// (<see cref="DeclarationPropertyTests"/>) covers their combinations.
/// </summary>
public class DeclarationKindsTests
{
    private const string Usings = "using ModelDsl;\nusing TorchSharp.Modules;\nusing static ModelDsl.Init;\n";

    [Fact]
    public void Hint_names_are_unique_ignoring_case()
    {
        // 1. "hintName must be unique" crashed the generator (CS8785), taking every model's code with it.
        GeneratorResult result = GeneratorHarness.Run(
            Usings + "namespace Demo { [Model(4)] [Dense(2)] public partial class Mlp { } [Model(4)] [Dense(3)] public partial class MLP { } }",
            Usings + "namespace Demo.Models { [Model(4)] [Dense(2)] [Ensemble(2)] public partial class Net { } }",
            Usings + "namespace Demo.models { [Model(4)] [Dense(2)] [Ensemble(2)] public partial class Net { } }").AssertClean();
        Assert.Equal(6, result.Files.Count);
        Assert.Equal(6, result.Files.Keys.Select(k => k.ToLowerInvariant()).Distinct().Count());
        Assert.Contains(result.Files.Keys, k => k.StartsWith("Demo.Mlp.", System.StringComparison.Ordinal) && k != "Demo.Mlp.g.cs");
    }

    [Fact]
    public void A_namespace_and_a_class_that_differ_only_in_case_give_distinct_files()
    {
        // Demo.net.Mlp (namespace net) and Demo.Net.Mlp (nested in class Net) have file names equal ignoring case.
        GeneratorResult result = GeneratorHarness.Run(
            Usings + "namespace Demo.net { [Model(4)] [Dense(2)] public partial class Mlp { } }",
            Usings + "namespace Demo { public partial class Net { [Model(4)] [Dense(3)] public partial class Mlp { } } }").AssertClean();
        Assert.Equal(2, result.Files.Keys.Select(k => k.ToLowerInvariant()).Distinct().Count());
    }

    [Fact]
    public void Nested_twins_are_told_apart_and_a_name_without_a_twin_stays_readable()
    {
        GeneratorResult result = GeneratorHarness.Run(
            Usings + "namespace Demo { public partial class Outer { [Model(4)] [Dense(2)] public partial class Mlp { } [Model(4)] [Dense(3)] public partial class MLP { } } }",
            Usings + "namespace Demo { [Model(4)] [Dense(2)] public partial class Net { } }").AssertClean();
        Assert.Equal(3, result.Files.Keys.Select(k => k.ToLowerInvariant()).Distinct().Count());
        Assert.Contains("Demo.Net.g.cs", result.Files.Keys);
        Assert.DoesNotContain("Demo.Outer.Mlp.g.cs", result.Files.Keys);
    }

    [Fact]
    public void A_long_namespace_gives_a_short_hint_name()
    {
        // 1. A 296-character namespace gave CS0016 with EmitCompilerGeneratedFiles (255-byte file names).
        string ns = string.Join(".", Enumerable.Range(0, 37).Select(i => "Segment" + i));
        GeneratorResult result = GeneratorHarness.Run(Usings + $"namespace {ns} {{ [Model(4)] [Dense(2)] [Ensemble(2)] public partial class Net {{ }} }}").AssertClean();
        Assert.True(ns.Length > 296);
        Assert.All(result.Files.Keys, k => Assert.True(k.Length <= 120, k));
    }

    [Fact]
    public void Nullable_virtual_readonly_and_module_typed_block_members_compile()
    {
        // 2. Sequential? blocks and virtual partial properties gave errors and warnings in the generated file; readonly
        // fields (assignable in the generated constructor) and Module<Tensor, Tensor> properties work as well.
        GeneratorHarness.Run(Usings + """
            [Model(4)]
            public partial class Blocks
            {
                [Dense(3)] public virtual partial Sequential? Hidden { get; }
                [Dense(2)] private Sequential? head;
                [ReLU] protected internal partial Sequential Act { get; }
                [Tanh] private readonly Sequential squash = null!;
                [Dense(2)] public partial TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> Out { get; }
            }
            """).AssertClean();
    }

    [Fact]
    public void Keyword_identifiers_and_a_user_type_named_var_compile()
    {
        // 4. @class, a block @object, a namespace segment @if, a field block named x (the forward's local), and a type
        // named var in the model's namespace (which captured every `var` the generated code wrote).
        GeneratorHarness.Run(Usings + """
            #pragma warning disable CS8981 // lower-case type names are the point of this test
            namespace Demo.@if
            {
                public class var { }
                [Model(4)] [Dense(3)] [Ensemble(2)]
                public partial class @class
                {
                    [Dense(3)] public partial Sequential @object { get; }
                    [Dense(2)] private Sequential? x;
                }
            }
            """).AssertClean();
    }

    [Fact]
    public void Companion_ensembles_of_internal_generic_and_obsolete_models_compile()
    {
        // 3. An internal model's public ensemble did not compile; generic and [Obsolete] models' ensembles neither.
        GeneratorResult result = GeneratorHarness.Run(Usings + """
            namespace Demo;
            [Model(4)] [Dense(2)] [Ensemble(2)] internal partial class Hidden { }
            [Model(4)] [Dense(2)] [Ensemble(2)] public partial class Generic<T> where T : struct, System.IComparable<T> { }
            [System.Obsolete("use V2")] [Model(4)] [Dense(2)] [Ensemble(2)] public partial class Old { }
            [System.Obsolete("gone", true)] [Model(4)] [Dense(2)] [Ensemble(2)] public partial class Gone { }
            public static partial class Outer { [Model(4)] [Dense(2)] [Ensemble(2, Vectorized = true)] private partial class Nested { } }
            #pragma warning disable CS0693 // found by the property test: the user's own shadowing type parameter, repeated by the ensemble
            public partial class Box<T> { [Model(4)] [Dense(2)] [Ensemble(2)] internal partial class Shadow<T> where T : struct { } }
            """).AssertClean();
        Assert.Contains("internal sealed class HiddenEnsemble", result.Files["Demo.Hidden+Ensemble.g.cs"]);
        Assert.Contains("GenericEnsemble<T> : global::ModelDsl.Ensemble<global::Demo.Generic<T>>", result.Files["Demo.Generic`1+Ensemble.g.cs"]);
        Assert.Contains("where T : struct, global::System.IComparable<T>", result.Files["Demo.Generic`1+Ensemble.g.cs"]);
        Assert.Contains("[global::System.Obsolete(\"gone\", true)]", result.Files["Demo.Gone+Ensemble.g.cs"]);
        Assert.Contains("private sealed class NestedEnsemble", result.Files["Demo.Outer.Nested+Ensemble.g.cs"]);
    }

    [Fact]
    public void Strings_that_need_escaping_are_escaped()
    {
        // 5. [WeightDecay("a\"b")] broke the generated literal, and "c:\\new" silently became a line feed.
        GeneratorResult result = GeneratorHarness.Run(Usings + """
            [Model(4)]
            [WeightDecay("a\"b", L2 = 0.1)]
            [WeightDecay("c:\\new\nline", L2 = 0.2)]
            [Dense(3, Group = "a\"b"), Dense(2, Group = "c:\\new\nline")]
            public partial class Escaped { }
            """).AssertClean();
        string code = result.Single();
        Assert.Contains("new(\"a\\\"b\", ", code);
        Assert.Contains("new(\"c:\\\\new\\nline\", ", code);
    }

    [Fact]
    public void Blocks_on_several_partial_declarations_run_in_file_path_order()
    {
        // 6. The documented rule (docs/dsl-reference.md): blocks are ordered by file path (ordinal), then by position,
        // whatever order the compiler was given the files in.
        string a = Usings + "public partial class Split { [Dense(3)] public partial Sequential First { get; } }";
        string b = Usings + "public partial class Split { [Dense(2)] public partial Sequential Second { get; } }";
        string model = Usings + "[Model(4)] public partial class Split { }";
        string forward = GeneratorHarness.Run(model, a, b).AssertClean().Single();
        string reversed = GeneratorHarness.Run(model, b, a).AssertClean().Single();
        // Model1.cs holds First in the first run and Second in the second: the order follows the paths.
        Assert.True(forward.IndexOf("x = _first", System.StringComparison.Ordinal) < forward.IndexOf("x = _second", System.StringComparison.Ordinal));
        Assert.True(reversed.IndexOf("x = _second", System.StringComparison.Ordinal) < reversed.IndexOf("x = _first", System.StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp9, "namespace Demo\n{")]
    [InlineData(LanguageVersion.CSharp10, "namespace Demo;")]
    public void Generated_code_compiles_from_CSharp_9(LanguageVersion version, string namespaceLine)
    {
        // 7. File-scoped namespaces gave CS8773 on C# 9.
        GeneratorResult result = GeneratorHarness.Run(new CSharpParseOptions(version), """
            using ModelDsl;
            namespace Demo
            {
                [Model(4)] [WeightDecay(L2 = 0.1)] [Dense(3, MaxNorm = 2), ReLU, Dense(2)] [Ensemble(2)]
                public partial class Old
                {
                    [Dense(2)] private TorchSharp.Modules.Sequential? head;
                }
            }
            """).AssertClean();
        Assert.All(result.Files.Values, f => Assert.Contains(namespaceLine, f));
    }
}
