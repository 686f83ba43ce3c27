using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using ModelDsl.Consumer.Tests.Packaging;
using Xunit;
using Xunit.Abstractions;

namespace ModelDsl.Consumer.Tests.LanguageServer;

/// <summary>
/// The card model in a real language server: csharp-ls 0.28.0, installed from the repository's tool manifest
/// (.config/dotnet-tools.json) with `dotnet tool restore`, started over stdio on LanguageServer/Sample with analyzers on
/// and metadata URIs (needed to navigate into generated files). Checks what a user sees: the hover's table is a fenced
/// code block (and the whole hover text is a committed snapshot), go-to-definition on <c>forward</c> and
/// <c>Summary()</c> lands in the generated file, MD0018 shows as information on the card's first Dense, and an edit to <c>Dropout(1.5)</c> publishes MD0004 on that attribute,
/// cleared when the edit is undone. Prints the didChange → diagnostic latency.
/// Cost: about a minute on the 2-core machine (the sample's build, the server's solution load, two analyzer passes).
/// </summary>
public class LanguageServerTests
{
    private static readonly TimeSpan Load = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan Edit = TimeSpan.FromMinutes(2);
    private readonly ITestOutputHelper output;

    public LanguageServerTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    [Trait("Category", "LanguageServer")]
    public async Task Hover_definition_and_diagnostics_of_the_card_model_in_csharp_ls()
    {
        string repo = Docs.DocBlockTests.RepositoryRoot();
        string sample = Path.Combine(repo, "tests", "ModelDsl.Consumer.Tests", "LanguageServer", "Sample");
        var environment = new Dictionary<string, string>();
        DotnetProcess.Result restore = DotnetProcess.Run(repo, environment, Load, "tool", "restore");
        Assert.True(restore.ExitCode == 0, "dotnet tool restore failed:\n" + restore.Output);
        DotnetProcess.Result build = DotnetProcess.Run(sample, environment, Load, "build", "-nodeReuse:false");
        Assert.True(build.ExitCode == 0, "the sample does not build:\n" + build.Output);

        string mlpPath = Path.Combine(sample, "Mlp.cs");
        string programPath = Path.Combine(sample, "Program.cs");
        string mlp = File.ReadAllText(mlpPath).ReplaceLineEndings("\n");
        string program = File.ReadAllText(programPath).ReplaceLineEndings("\n");

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { WorkingDirectory = sample };
        foreach (string argument in new[] { "tool", "run", "csharp-ls", "--", "--features", "metadata-uris", "--loglevel", "warning" }) start.ArgumentList.Add(argument);
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList()) start.Environment.Remove(key);
        await using var server = new LspClient(start, new JsonObject { ["analyzersEnabled"] = true, ["useMetadataUris"] = true });

        await server.Request("initialize", new JsonObject
        {
            ["processId"] = Environment.ProcessId,
            ["rootUri"] = Uri(sample),
            ["capabilities"] = new JsonObject
            {
                ["workspace"] = new JsonObject { ["configuration"] = true },
                ["textDocument"] = new JsonObject
                {
                    ["hover"] = new JsonObject { ["contentFormat"] = new JsonArray("markdown", "plaintext") },
                    ["definition"] = new JsonObject(),
                    ["publishDiagnostics"] = new JsonObject(),
                },
            },
        }, Load);
        await server.Notify("initialized", new JsonObject());
        await server.Notify("textDocument/didOpen", Open(mlpPath, mlp));
        await server.Notify("textDocument/didOpen", Open(programPath, program));

        // (a) Hover on the class name; the server answers null until the project is loaded.
        string hover = await Hover(server, mlpPath, At(mlp, "class Mlp", "Mlp"));
        // The table is one fenced block of its own (the signature comes first, in another), and its fence opens a line:
        // the old inline <code> gave "parameters. ```csharp", which markdown renderers do not read as a code block.
        string[] fences = hover.Split("```");
        string fenced = Assert.Single(fences.Where((_, i) => i % 2 == 1), f => f.Contains("Layer ", StringComparison.Ordinal));
        Assert.StartsWith("Layer ", fenced[(fenced.IndexOf('\n') + 1)..]);
        Assert.Matches(@"\n\n```[a-z]*\nLayer ", hover);
        Assert.Contains("\ntotal ", fenced);
        Assert.Contains("dense1: Dense(256)", fenced);
        MatchSnapshot("card-hover.md", hover);

        // (b) Go to definition from the program's calls lands in the generated file.
        foreach (string call in new[] { "model.forward", "model.Summary" })
        {
            JsonNode? definition = await server.Request("textDocument/definition", Position(programPath, At(program, call, call.Split('.')[1])), Load);
            string target = (definition is JsonArray { Count: > 0 } list ? list[0] : definition)?["uri"]?.GetValue<string>() ?? "(none)";
            Assert.True(target.Contains("Sample.Mlp.g.cs", StringComparison.Ordinal), $"definition of {call} is {target}, not the generated Sample.Mlp.g.cs");
        }

        // The card has no nonlinearity: the IDE shows MD0018 as information on its first Dense (command-line builds
        // do not print info diagnostics).
        JsonArray initial = await NextDiagnostics(server, mlpPath, d => d.Any(x => Code(x) == "MD0018"));
        JsonNode md0018 = initial.Single(x => Code(x) == "MD0018")!;
        Assert.Equal(Range(mlp, "Dense(256, Init = He)"), md0018["range"]!.ToJsonString());
        Assert.Equal(3, md0018["severity"]!.GetValue<int>());   // Information

        // (c) An edit that makes MD0004 appear on the attribute's range, then the undo that clears it.
        string broken = mlp.Replace("Dropout(0.5)", "Dropout(1.5)");
        long sent = Stopwatch.GetTimestamp();
        await server.Notify("textDocument/didChange", Change(mlpPath, 2, broken));
        JsonArray appeared = await NextDiagnostics(server, mlpPath, d => d.Any(x => Code(x) == "MD0004"));
        TimeSpan latency = Stopwatch.GetElapsedTime(sent);
        JsonNode md0004 = appeared.Single(x => Code(x) == "MD0004")!;
        Assert.Equal(Range(broken, "Dropout(1.5)"), md0004["range"]!.ToJsonString());
        Assert.Equal(1, md0004["severity"]!.GetValue<int>());   // Error

        sent = Stopwatch.GetTimestamp();
        await server.Notify("textDocument/didChange", Change(mlpPath, 3, mlp));
        await NextDiagnostics(server, mlpPath, d => d.All(x => Code(x) != "MD0004"));
        TimeSpan cleared = Stopwatch.GetElapsedTime(sent);
        output.WriteLine($"csharp-ls 0.28.0, analyzers on: didChange → MD0004 published in {latency.TotalSeconds:0.00} s, cleared in {cleared.TotalSeconds:0.00} s");
    }

    private static async Task<string> Hover(LspClient server, string path, (int Line, int Character) at)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            JsonNode? result = await server.Request("textDocument/hover", Position(path, at), Load);
            // Until the generator's part is loaded the hover has the signature only; wait for the table.
            if (result?["contents"]?["value"]?.GetValue<string>() is { } text && text.Contains("Layer ", StringComparison.Ordinal)) return text.ReplaceLineEndings("\n");
            if (clock.Elapsed > Load) throw new TimeoutException("no hover with the summary table after " + Load + "; last: " + result?.ToJsonString() + "\n" + server.StandardError);
            await Task.Delay(1000);
        }
    }

    private static async Task<JsonArray> NextDiagnostics(LspClient server, string path, Func<IEnumerable<JsonNode?>, bool> done)
    {
        using var timeout = new System.Threading.CancellationTokenSource(Edit);
        await foreach (var (method, parameters, _) in server.Notifications.Reader.ReadAllAsync(timeout.Token))
        {
            if (method == "textDocument/publishDiagnostics" && parameters?["uri"]?.GetValue<string>() == Uri(path)
                && parameters["diagnostics"] is JsonArray diagnostics && done(diagnostics)) return diagnostics;
        }
        throw new TimeoutException("the server stopped before publishing the expected diagnostics\n" + server.StandardError);
    }

    private static string? Code(JsonNode? diagnostic) => diagnostic?["code"]?.ToString();

    /// <summary>The 0-based line and character of <paramref name="token"/> inside the first <paramref name="context"/>.</summary>
    private static (int Line, int Character) At(string text, string context, string token)
    {
        int offset = text.IndexOf(context, StringComparison.Ordinal) + context.IndexOf(token, StringComparison.Ordinal);
        int line = text[..offset].Count(c => c == '\n');
        return (line, offset - (text.LastIndexOf('\n', Math.Max(offset - 1, 0)) + 1));
    }

    private static string Range(string text, string token)
    {
        (int line, int character) = At(text, token, token);
        return new JsonObject
        {
            ["start"] = new JsonObject { ["line"] = line, ["character"] = character },
            ["end"] = new JsonObject { ["line"] = line, ["character"] = character + token.Length },
        }.ToJsonString();
    }

    private static JsonObject Position(string path, (int Line, int Character) at) => new()
    {
        ["textDocument"] = new JsonObject { ["uri"] = Uri(path) },
        ["position"] = new JsonObject { ["line"] = at.Line, ["character"] = at.Character },
    };

    private static JsonObject Open(string path, string text) => new()
    {
        ["textDocument"] = new JsonObject { ["uri"] = Uri(path), ["languageId"] = "csharp", ["version"] = 1, ["text"] = text },
    };

    private static JsonObject Change(string path, int version, string text) => new()
    {
        ["textDocument"] = new JsonObject { ["uri"] = Uri(path), ["version"] = version },
        ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = text }),
    };

    private static string Uri(string path) => new Uri(path).AbsoluteUri;

    /// <summary>
    /// Compares with the committed LanguageServer/__snapshots__/{name}; a missing one is written for review outside CI
    /// and fails under CI (CI=true), like the other snapshot tests.
    /// </summary>
    private static void MatchSnapshot(string name, string actual, [System.Runtime.CompilerServices.CallerFilePath] string here = "")
    {
        string path = Path.Combine(Path.GetDirectoryName(here)!, "__snapshots__", name);
        if (!File.Exists(path))
        {
            Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")), "missing snapshot " + path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            Assert.Fail("wrote the new snapshot " + path + "; review and commit it");
        }
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }
}
