using System;
using System.Diagnostics;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Sequence;

/// <summary>Generation with and without the key/value cache gives the same tokens, inside and beyond the context.</summary>
public class TokenGeneratorTests
{
    private const long Vocabulary = 11, Context = 8;

    private static (Sequential Model, TokenGenerator Generator) Gpt(ulong seed)
    {
        var generator = new Generator(seed);
        var embedding = nn.Embedding(Vocabulary, 16);
        Initializers.Normal(embedding.weight!, 0, 1, generator);
        var model = nn.Sequential(
            ("embedding", embedding),
            ("positions", new PositionalEncoding(Context, 16, learned: true, generator: generator)),
            ("encoder", new TransformerEncoder(16, 4, 32, count: 2, dropout: 0.3, generator: generator, causal: true)),
            ("head", nn.Linear(16, Vocabulary)));
        return (model, new TokenGenerator(model, new nn.Module<Tensor, Tensor>[] { model }, Context));
    }

    [Theory]
    [InlineData(0.0, null, 3)]   // greedy
    [InlineData(1.0, null, 6)]   // sampled, inside the context
    [InlineData(0.8, 3, 14)]     // top-k, beyond the context (the window slides)
    public void With_and_without_the_cache_the_tokens_are_the_same(double temperature, int? topK, int newTokens)
    {
        using var scope = NewDisposeScope();
        var (_, gpt) = Gpt(1);
        Tensor prompt = tensor(new long[] { 1, 2, 3, 4, 5, 6 }).reshape(2, 3);
        Tensor cached = gpt.Generate(prompt, newTokens, temperature, topK, seed: 7, useCache: true);
        Tensor uncached = gpt.Generate(prompt, newTokens, temperature, topK, seed: 7, useCache: false);
        Assert.Equal(new long[] { 2, 3 + newTokens }, cached.shape);
        Assert.True((cached == uncached).all().item<bool>(), $"cached {cached.ToString(TorchSharp.TensorStringStyle.Julia)} uncached {uncached.ToString(TorchSharp.TensorStringStyle.Julia)}");
        Assert.True((cached.narrow(1, 0, 3) == prompt).all().item<bool>());
        Assert.True(cached.ge(0).logical_and(cached.lt(Vocabulary)).all().item<bool>());
    }

    [Fact]
    public void Greedy_generation_appends_the_models_most_likely_token()
    {
        using var scope = NewDisposeScope();
        var (model, gpt) = Gpt(2);
        model.eval();
        Tensor prompt = tensor(new long[] { 3, 1, 4 }).reshape(1, 3);
        Tensor generated = gpt.Generate(prompt, 1, temperature: 0);
        Tensor expected = model.forward(prompt).select(1, -1).argmax(-1);
        Assert.Equal(expected.item<long>(), generated[0, 3].item<long>());
    }

    [Fact]
    public void The_same_seed_gives_the_same_tokens_and_another_seed_other_tokens()
    {
        using var scope = NewDisposeScope();
        var (_, gpt) = Gpt(3);
        Tensor prompt = zeros(new long[] { 4, 1 }, ScalarType.Int64);
        Tensor a = gpt.Generate(prompt, 7, seed: 1), b = gpt.Generate(prompt, 7, seed: 1), c = gpt.Generate(prompt, 7, seed: 2);
        Assert.True((a == b).all().item<bool>());
        Assert.False((a == c).all().item<bool>());
    }

    [Fact]
    public void Generation_leaves_the_model_in_its_mode_and_the_tensor_count_flat()
    {
        using var outer = NewDisposeScope();
        var (model, gpt) = Gpt(4);
        model.train();
        Tensor prompt = tensor(new long[] { 1, 2 }).reshape(1, 2);
        gpt.Generate(prompt, 4, seed: 1).Dispose();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 3; i++) gpt.Generate(prompt, 4, seed: 1).Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.True(model.training);
    }

    [Fact]
    public void Bad_arguments_name_what_is_wrong()
    {
        using var scope = NewDisposeScope();
        var (_, gpt) = Gpt(5);
        Assert.Contains("Int64 token ids", Assert.Throws<ArgumentException>(() => gpt.Generate(zeros(1, 3), 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => gpt.Generate(zeros(new long[] { 1, 1 }, ScalarType.Int64), 2, temperature: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => gpt.Generate(zeros(new long[] { 1, 1 }, ScalarType.Int64), 2, topK: 0));
        var plain = nn.Sequential(("embedding", nn.Embedding(Vocabulary, 16)), ("encoder", new TransformerEncoder(16, 4, 32)));
        Assert.Contains("no causal TransformerEncoder", Assert.Throws<ArgumentException>(() => new TokenGenerator(plain, new nn.Module<Tensor, Tensor>[] { plain }, Context)).Message);
    }
}
