using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ModelDsl.Zoo.Tests;

/// <summary>torchvision 0.14's state_dict keys and shapes per architecture (parity/keys.json, written by parity/manifests.py).</summary>
internal static class TorchvisionManifest
{
    private static readonly Dictionary<string, (string Key, long[] Shape)[]> All = Read();

    public static (string Key, long[] Shape)[] Of(string architecture) => All[architecture];

    public static string FixturePath(string architecture) => Path.Combine(System.AppContext.BaseDirectory, "parity", "fixtures", architecture + ".pt");

    private static Dictionary<string, (string, long[])[]> Read()
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(System.AppContext.BaseDirectory, "parity", "keys.json")));
        return json.RootElement.EnumerateObject().ToDictionary(
            a => a.Name,
            a => a.Value.EnumerateArray().Select(e => (e[0].GetString()!, e[1].EnumerateArray().Select(d => d.GetInt64()).ToArray())).ToArray());
    }
}
