using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace ModelDsl.Consumer.Tests.LanguageServer;

/// <summary>
/// A minimal Language Server Protocol client over a child process's stdio: JSON-RPC 2.0 messages framed by
/// <c>Content-Length</c> headers (LSP 3.17 base protocol). Written here because no LSP client library is in the
/// registry copy; it does only what the test needs: requests with responses, notifications both ways, and answers to
/// the server's requests (workspace/configuration gets <see cref="configuration"/>, everything else null).
/// </summary>
public sealed class LspClient : IAsyncDisposable
{
    private readonly Process process;
    private readonly Stream input;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> pending = new();
    private readonly JsonObject configuration;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly StringBuilder stderr = new();
    private readonly Task reader;
    private int nextId;

    /// <summary>Every server notification, in arrival order, with the time it arrived.</summary>
    public Channel<(string Method, JsonNode? Params, long Ticks)> Notifications { get; } = Channel.CreateUnbounded<(string, JsonNode?, long)>();

    public LspClient(ProcessStartInfo start, JsonObject configuration)
    {
        this.configuration = configuration;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + start.FileName);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        input = process.StandardInput.BaseStream;
        reader = Task.Run(ReadLoop);
    }

    public string StandardError { get { lock (stderr) return stderr.ToString(); } }

    public async Task<JsonNode?> Request(string method, JsonNode? parameters, TimeSpan timeout)
    {
        int id = Interlocked.Increment(ref nextId);
        var response = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = response;
        await Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        return await response.Task.WaitAsync(timeout);
    }

    public Task Notify(string method, JsonNode? parameters)
        => Send(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    private async Task Send(JsonObject message)
    {
        byte[] body = Encoding.UTF8.GetBytes(message.ToJsonString());
        byte[] header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        await writeLock.WaitAsync();
        try
        {
            await input.WriteAsync(header);
            await input.WriteAsync(body);
            await input.FlushAsync();
        }
        finally
        {
            writeLock.Release();
        }
    }

    private async Task ReadLoop()
    {
        Stream output = process.StandardOutput.BaseStream;
        try
        {
            while (true)
            {
                int length = -1;
                string line;
                while ((line = await ReadHeaderLine(output)) != "")
                {
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line["Content-Length:".Length..].Trim());
                }
                if (length < 0) throw new InvalidDataException("LSP message without Content-Length");
                byte[] body = new byte[length];
                await output.ReadExactlyAsync(body);
                Dispatch(JsonNode.Parse(body)!.AsObject());
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ObjectDisposedException)
        {
            foreach (var waiting in pending.Values) waiting.TrySetException(new IOException("the language server closed its output:\n" + StandardError, e));
            Notifications.Writer.TryComplete();
        }
    }

    private void Dispatch(JsonObject message)
    {
        bool hasId = message.TryGetPropertyValue("id", out JsonNode? id) && id is not null;
        if (message.TryGetPropertyValue("method", out JsonNode? methodNode) && methodNode is not null)
        {
            string method = methodNode.GetValue<string>();
            if (hasId) _ = Answer(id!.DeepClone(), method, message["params"]);
            else Notifications.Writer.TryWrite((method, message["params"]?.DeepClone(), Stopwatch.GetTimestamp()));
        }
        else if (hasId && pending.TryRemove(id!.GetValue<int>(), out var response))
        {
            if (message["error"] is { } error) response.TrySetException(new InvalidOperationException("LSP error: " + error.ToJsonString()));
            else response.TrySetResult(message["result"]?.DeepClone());
        }
    }

    /// <summary>The server asks the client: configuration sections by name, null for anything else (capability registrations, progress tokens).</summary>
    private Task Answer(JsonNode id, string method, JsonNode? parameters)
    {
        JsonNode? result = null;
        if (method == "workspace/configuration" && parameters?["items"] is JsonArray items)
        {
            var sections = new JsonArray();
            foreach (JsonNode? item in items) sections.Add(item?["section"]?.GetValue<string>() == "csharp" ? configuration.DeepClone() : null);
            result = sections;
        }
        return Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result });
    }

    private static async Task<string> ReadHeaderLine(Stream stream)
    {
        var line = new StringBuilder();
        byte[] one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0) throw new EndOfStreamException();
            if (one[0] == '\n') return line.ToString().TrimEnd('\r');
            line.Append((char)one[0]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Request("shutdown", null, TimeSpan.FromSeconds(20));
            await Notify("exit", null);
            if (!process.WaitForExit(10_000)) process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        await Task.WhenAny(reader, Task.Delay(5_000));
        process.Dispose();
        writeLock.Dispose();
    }
}
