using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;

namespace ModelDsl.Consumer.Tests.Packaging;

/// <summary>Runs the `dotnet` CLI as a child process with a controlled environment and returns its exit code and output.</summary>
public static class DotnetProcess
{
    public sealed record Result(int ExitCode, string Output);

    public static Result Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);

        // The test host runs under `dotnet test`, whose MSBuild variables would point the child at the parent's MSBuild.
        foreach (string key in new List<string>(KeysOf(start.Environment)))
        {
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || key.StartsWith("MSBUILD", StringComparison.Ordinal)) start.Environment.Remove(key);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var pair in environment) start.Environment[pair.Key] = pair.Value;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            return new Result(-1, $"timed out after {timeout}: dotnet {string.Join(' ', arguments)}\n{output}");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, output.ToString());
    }

    private static IEnumerable<string> KeysOf(IDictionary<string, string?> environment) => environment.Keys;
}
