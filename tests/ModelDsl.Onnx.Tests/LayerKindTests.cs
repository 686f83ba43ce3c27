using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ModelDsl.Kinds;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Onnx.Tests
{
    /// <summary>
    /// Each layer kind states what the runtime needs to know about it in one place (Kinds/): ModelDsl's modules as
    /// ILayerKind / IOnnxLayer, TorchSharp's as rows of TorchLayerKinds. These tests fail when a new kind forgets one: a
    /// runtime module without the interface, a module type in a generated model without a row or an ONNX form, or a trait
    /// that disagrees with what the layer does in training.
    /// </summary>
    public class LayerKindTests
    {
        /// <summary>Every concrete Tensor → Tensor module class of ModelDsl's assembly (its losses take two tensors and are not layers).</summary>
        private static IEnumerable<Type> RuntimeModuleTypes => typeof(LayerKinds).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && IsTensorModule(t));

        private static bool IsTensorModule(Type t)
        {
            for (Type? b = t.BaseType; b is not null; b = b.BaseType)
            {
                if (b == typeof(nn.Module<Tensor, Tensor>)) return true;
            }
            return false;
        }

        /// <summary>ModelDsl's modules that are not chain layers: an exporter other than LayerExporter writes them, or none does.</summary>
        private static readonly Type[] NotChainLayers =
        {
            typeof(TransformerEncoderLayer),   // written by its TransformerEncoder
            typeof(VectorizedDenseStack),      // written member by member by VectorizedMemberExporter
            typeof(VectorizedEnsemble),        // an ensemble export writes its stack and aggregator
            typeof(EnsembleAggregator),        // written by AggregationExporter
            typeof(Ensemble<>),                // an ensemble export writes its members and aggregator
        };

        /// <summary>
        /// TorchSharp modules a model holds that need no row: containers the chain opens, and the parts of a ModelDsl layer
        /// that answers for them (Recurrent for its LSTM/GRU cell, TransformerEncoderLayer for its attention).
        /// </summary>
        private static readonly Type[] AnsweredByTheirOwner =
        {
            typeof(Sequential), typeof(ModuleList<>), typeof(LSTM), typeof(GRU), typeof(MultiheadAttention),
        };

        [Fact]
        public void Every_module_type_of_the_runtime_states_every_trait()
        {
            Type[] types = RuntimeModuleTypes.ToArray();
            Assert.Contains(typeof(Recurrent), types);
            Assert.Contains(typeof(BatchNormalization), types);
            // ILayerKind has no default members, so implementing it means the compiler saw every trait.
            Assert.Empty(types.Where(t => !typeof(ILayerKind).IsAssignableFrom(t)).Select(t => t.FullName));
        }

        [Fact]
        public void Every_module_type_of_the_runtime_is_a_chain_layer_with_an_onnx_form_or_listed_as_none()
        {
            var withoutForm = RuntimeModuleTypes.Where(t => !typeof(IOnnxLayer).IsAssignableFrom(t)).Select(Definition);
            Assert.Equal(NotChainLayers.Select(t => t.FullName).OrderBy(n => n), withoutForm.Select(t => t.FullName).OrderBy(n => n));
        }

        [Fact]
        public void Every_row_of_the_torchsharp_table_states_every_trait()
        {
            Assert.NotEmpty(TorchLayerKinds.Types);
            foreach (Type type in TorchLayerKinds.Types)
            {
                Assert.True(typeof(nn.Module).IsAssignableFrom(type), type.Name);
                TorchLayerKind kind = TorchLayerKinds.Find(type)!;
                Assert.NotNull(kind.Export);
                Assert.NotNull(kind.DrawsFromGlobalGenerator);
                // A batch norm keeps running statistics for eval, and only a batch norm has them.
                Assert.Equal(kind.HasBatchStatistics, kind.RunningStatistics is not null);
            }
        }

        [Fact]
        public void Every_vectorized_layer_kind_has_a_row()
        {
            Assert.Equal(Enum.GetValues<VectorizedLayerKind>().OrderBy(k => k), VectorizedLayerKinds.Kinds.OrderBy(k => k));
            // The vectorized dropouts draw like their single-model counterparts; a rate of 0 draws nothing.
            Assert.True(VectorizedLayer.Dropout(4, 0.5).DrawsFromGlobalGenerator);
            Assert.False(VectorizedLayer.Dropout(4, 0).DrawsFromGlobalGenerator);
            Assert.True(VectorizedLayer.WeightScalingDropout(4, 0.8).DrawsFromGlobalGenerator);
            Assert.False(VectorizedLayer.Dense(4, 3).DrawsFromGlobalGenerator);
        }

        /// <summary>The layer-kind models (one per layer attribute), the export tests' models, two token models and the models above.</summary>
        private static readonly Dictionary<string, Func<nn.Module<Tensor, Tensor>>> Factories = typeof(LayerKindTests).Assembly.GetTypes()
            .Where(t => t.Namespace is "OnnxKinds" or "LayerKindModels" && typeof(IGeneratedModel).IsAssignableFrom(t)).OrderBy(t => t.Name)
            .ToDictionary(t => t.Name, t => (Func<nn.Module<Tensor, Tensor>>)(() => (nn.Module<Tensor, Tensor>)Activator.CreateInstance(t, new object?[] { 1L, null, null })!))
            .Concat(ModelExportTests.Factories.Select(f => KeyValuePair.Create(f.Key, (Func<nn.Module<Tensor, Tensor>>)(() => (nn.Module<Tensor, Tensor>)f.Value()))))
            .Append(KeyValuePair.Create("PaddedEncoder", (Func<nn.Module<Tensor, Tensor>>)(() => new OnnxTokenModels.PaddedEncoder(seed: 1))))
            .Append(KeyValuePair.Create("TokenLstm", (Func<nn.Module<Tensor, Tensor>>)(() => new OnnxTokenModels.TokenLstm(seed: 4))))
            .ToDictionary(e => e.Key, e => e.Value);

        public static IEnumerable<object[]> Models() => Factories.Keys.Select(k => new object[] { k });

        [Theory]
        [MemberData(nameof(Models))]
        public void Every_module_a_generated_model_holds_is_a_kind_the_runtime_knows(string name)
        {
            using var scope = NewDisposeScope();
            nn.Module<Tensor, Tensor> model = Factories[name]();
            // A generated [Block] template (IGraphBlock) is a container like a generated model: its blocks answer for themselves.
            var unknown = model.modules()
                .Where(m => m is not IGeneratedModel && m is not IGraphBlock && m is not ILayerKind && TorchLayerKinds.Find(m.GetType()) is null)
                .Select(m => Definition(m.GetType()))
                .Where(t => !AnsweredByTheirOwner.Contains(t))
                .Select(t => t.FullName).Distinct();
            Assert.Empty(unknown);
        }

        [Theory]
        [MemberData(nameof(Models))]
        public void Every_layer_a_generated_model_holds_has_an_onnx_form(string name)
        {
            using var scope = NewDisposeScope();
            nn.Module<Tensor, Tensor> model = Factories[name]();
            var missing = Layers(model).Where(m => !HasOnnxForm(m)).Select(m => m.GetType().FullName).Distinct();
            Assert.Empty(missing);
        }

        /// <summary>
        /// The trait checked against what the layers do: in training, a model that draws from the global generator answers
        /// differently after another global seed, and one that does not answers identically.
        /// </summary>
        [Theory]
        [MemberData(nameof(Models))]
        public void Drawing_from_the_global_generator_is_what_the_layers_do_in_training(string name)
        {
            using var scope = NewDisposeScope();
            nn.Module<Tensor, Tensor> model = Factories[name]();
            model.train();
            Tensor input = Input(model, batch: 4, seed: 3);
            Tensor Run(int globalSeed)
            {
                manual_seed(globalSeed);
                using var noGrad = no_grad();
                return model.forward(input);
            }
            bool draws = !Run(1).allclose(Run(2), rtol: 0, atol: 0);
            Assert.True(draws || Run(1).allclose(Run(1), rtol: 0, atol: 0), "the model is not deterministic under one seed");
            Assert.Equal(draws, LayerKinds.DrawsFromGlobalGenerator(model));
        }

        /// <summary>
        /// In training, a model with batch statistics gives a sample an output that depends on the other samples of its batch;
        /// without them the sample's output is its own (the same global seed for both runs, so dropout masks match).
        /// </summary>
        [Theory]
        [MemberData(nameof(Models))]
        public void Batch_statistics_are_what_the_layers_do_in_training(string name)
        {
            using var scope = NewDisposeScope();
            nn.Module<Tensor, Tensor> model = Factories[name]();
            model.train();
            Tensor input = Input(model, batch: 4, seed: 3);
            Tensor others = Input(model, batch: 4, seed: 4);
            Tensor mixed = cat(new[] { input.narrow(0, 0, 1), others.narrow(0, 1, 3) }, 0);
            Tensor FirstSample(Tensor batch)
            {
                manual_seed(1);
                using var noGrad = no_grad();
                return model.forward(batch).narrow(0, 0, 1);
            }
            bool dependsOnTheBatch = !FirstSample(input).allclose(FirstSample(mixed), rtol: 1e-5, atol: 1e-6);
            Assert.Equal(dependsOnTheBatch, LayerKinds.HasBatchStatistics(model));
        }

        /// <summary>
        /// The stale case of the old switch: a stacked LSTM/GRU with dropout draws its masks in training; without dropout, or
        /// with one layer (libtorch drops only between layers; the generator refuses that declaration, MD0085), it draws nothing.
        /// </summary>
        [Theory]
        [InlineData(RecurrentKind.LSTM, 2, 0.5, true)]
        [InlineData(RecurrentKind.GRU, 3, 0.1, true)]
        [InlineData(RecurrentKind.LSTM, 2, 0.0, false)]
        [InlineData(RecurrentKind.LSTM, 1, 0.5, false)]
        public void A_stacked_recurrent_layer_with_dropout_draws_and_one_without_does_not(RecurrentKind kind, long layers, double dropout, bool draws)
        {
            using var scope = NewDisposeScope();
            var recurrent = new Recurrent(kind, 3, 4, layers, dropout: dropout, returnSequences: true, generator: new Generator(1));
            recurrent.train();
            Tensor input = randn(new long[] { 4, 5, 3 }, generator: new Generator(2));
            Tensor Run(int globalSeed)
            {
                manual_seed(globalSeed);
                using var noGrad = no_grad();
                return recurrent.forward(input);
            }
            Assert.Equal(draws, !Run(1).allclose(Run(2), rtol: 0, atol: 0));
            Assert.Equal(draws, LayerKinds.DrawsFromGlobalGenerator(recurrent));
        }

        /// <summary>
        /// The module types the generator's own tests expect it to emit (its snapshots and inline expected code, by their
        /// global::TorchSharp.Modules.X and global::ModelDsl.X names), found in the source rather than in the models above:
        /// each has an ONNX form, or is a container the chain opens, or is listed as not a chain layer.
        /// </summary>
        [Fact]
        public void Every_module_type_the_generator_emits_has_an_onnx_form()
        {
            string tests = Path.Combine(RepositoryRoot(), "tests", "ModelDsl.Generator.Tests");
            var names = Directory.GetFiles(tests, "*.cs", SearchOption.AllDirectories)
                .Concat(Directory.GetFiles(tests, "*.snap", SearchOption.AllDirectories))
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
                .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"global::(TorchSharp\.Modules|ModelDsl)\.([A-Z][A-Za-z0-9]*)").Select(m => m.Groups[1].Value + "." + m.Groups[2].Value))
                .ToHashSet();
            Type[] emitted = names
                .Select(n => typeof(Linear).Assembly.GetType(n) ?? typeof(LayerKinds).Assembly.GetType(n) ?? typeof(LayerKinds).Assembly.GetType(n + "`1"))
                .OfType<Type>()
                .Where(t => typeof(nn.Module).IsAssignableFrom(t))
                .ToArray();
            Assert.Contains(typeof(Recurrent), emitted);
            Assert.Contains(typeof(Conv2d), emitted);
            var without = emitted
                .Where(t => t != typeof(Sequential) && !NotChainLayers.Contains(t))
                .Where(t => !typeof(IOnnxLayer).IsAssignableFrom(t)
                    && (typeof(ILayerKind).IsAssignableFrom(t) || TorchLayerKinds.Find(t) is not { } kind || kind.Export == TorchLayerKinds.NoOnnxForm))
                .Select(t => t.FullName);
            Assert.Empty(without);
        }

        private static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ModelDsl.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("ModelDsl.sln not found above " + AppContext.BaseDirectory);
        }

        /// <summary>The chain layers of a model, a residual unit's branch, shortcut and activation included.</summary>
        private static IEnumerable<nn.Module> Layers(nn.Module module)
        {
            foreach ((_, nn.Module child) in module.named_children())
            {
                // A [Block] template use is a graph the exporter walks block by block, as a Sequential's layers.
                if (child is Sequential or IGraphBlock) foreach (nn.Module layer in Layers(child)) yield return layer;
                else if (child is ResidualBlock residual)
                {
                    yield return residual;
                    foreach (nn.Module layer in Layers(residual)) yield return layer;
                }
                else yield return child;
            }
        }

        private static bool HasOnnxForm(nn.Module module)
            => module is IOnnxLayer || (module is not ILayerKind && TorchLayerKinds.Find(module.GetType()) is { } kind && kind.Export != TorchLayerKinds.NoOnnxForm);

        private static Type Definition(Type t) => t.IsGenericType ? t.GetGenericTypeDefinition() : t;

        /// <summary>A batch of the model's input: token ids for a token model, else normal features, from a seeded generator.</summary>
        private static Tensor Input(nn.Module<Tensor, Tensor> model, long batch, int seed)
        {
            var generator = new Generator((ulong)seed);
            long[] shape = new[] { batch }.Concat(((IGeneratedModel)model).InputShape).ToArray();
            ScalarType dtype = model.parameters().FirstOrDefault()?.dtype ?? ScalarType.Float32;
            return model is ITokenModel tokens
                ? randint(0, tokens.Vocabulary, shape, ScalarType.Int64, generator: generator)
                : randn(shape, dtype, generator: generator);
        }
    }
}
