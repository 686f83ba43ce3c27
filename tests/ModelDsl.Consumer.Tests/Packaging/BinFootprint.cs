using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ModelDsl.Consumer.Tests.Packaging;

/// <summary>
/// What a package adds to a consumer's bin/ beyond a baseline package (TorchSharp-cpu): the built files that are neither
/// the consumer's own (its apphost and <c>{AssemblyName}.*</c>) nor named by a runtime, native or RID-specific asset of the baseline or
/// anything it depends on, as NuGet resolved them in <c>obj/project.assets.json</c>.
/// </summary>
internal static class BinFootprint
{
    public sealed record File(string RelativePath, long Bytes)
    {
        /// <summary>A native library: under runtimes/*/native/ or with a native extension.</summary>
        public bool IsNative => RelativePath.Replace('\\', '/').Contains("/native/", StringComparison.Ordinal)
            || RelativePath.EndsWith(".so", StringComparison.Ordinal) || RelativePath.EndsWith(".dylib", StringComparison.Ordinal)
            || RelativePath.Contains(".so.", StringComparison.Ordinal);
    }

    public static IReadOnlyList<File> BeyondBaseline(string projectDirectory, string binDirectory, string assemblyName, string baselinePackage)
    {
        using JsonDocument assets = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(projectDirectory, "obj", "project.assets.json")));
        JsonElement target = assets.RootElement.GetProperty("targets").EnumerateObject().First().Value;
        var packages = target.EnumerateObject()
            .Where(p => p.Value.GetProperty("type").GetString() == "package")
            .ToDictionary(p => p.Name.Split('/')[0], p => p.Value, StringComparer.OrdinalIgnoreCase);

        var baselineFiles = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<string>(new[] { baselinePackage });
        while (pending.TryPop(out string? name))
        {
            if (!seen.Add(name) || !packages.TryGetValue(name, out JsonElement package)) continue;
            foreach (string group in new[] { "runtime", "native", "runtimeTargets" })
            {
                if (package.TryGetProperty(group, out JsonElement assetsOfGroup))
                    foreach (JsonProperty asset in assetsOfGroup.EnumerateObject()) baselineFiles.Add(Path.GetFileName(asset.Name));
            }
            if (package.TryGetProperty("dependencies", out JsonElement dependencies))
                foreach (JsonProperty dependency in dependencies.EnumerateObject()) pending.Push(dependency.Name);
        }

        return Directory.EnumerateFiles(binDirectory, "*", SearchOption.AllDirectories)
            .Where(path => Path.GetFileNameWithoutExtension(path) != assemblyName && !Path.GetFileName(path).StartsWith(assemblyName + ".", StringComparison.Ordinal))
            .Where(path => !baselineFiles.Contains(Path.GetFileName(path)))
            .Select(path => new File(Path.GetRelativePath(binDirectory, path), new FileInfo(path).Length))
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal)
            .ToList();
    }
}
