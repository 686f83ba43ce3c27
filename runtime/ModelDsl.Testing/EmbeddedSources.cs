using System;
using System.IO;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;

namespace ModelDsl.Testing;

/// <summary>
/// Reads a generated file back from an assembly's portable PDB (next to the assembly, or embedded in it). The C#
/// compiler embeds every source generator's output in the PDB it writes (so a debugger can step into it), whatever
/// EmbedUntrackedSources says, so any project built with the default DebugType has its models' generated files there.
/// The format is the Portable PDB spec's EmbeddedSource custom debug information (dotnet/runtime,
/// docs/design/specs/PortablePdb-Metadata.md); System.Reflection.Metadata reads the tables, the blob is decoded here.
/// </summary>
internal static class EmbeddedSources
{
    /// <summary>The EmbeddedSource custom debug information kind.</summary>
    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    /// <summary>
    /// The embedded text of the document whose path ends with <paramref name="pathSuffix"/> ('/'-separated), or null with
    /// <paramref name="why"/> saying what was missing: the assembly file, its PDB, or that document.
    /// </summary>
    public static string? Find(string assemblyPath, string pathSuffix, out string why)
    {
        if (string.IsNullOrEmpty(assemblyPath) || !File.Exists(assemblyPath))
        {
            why = "the assembly has no file on disk";
            return null;
        }
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.TryOpenAssociatedPortablePdb(assemblyPath, path => File.Exists(path) ? File.OpenRead(path) : null, out MetadataReaderProvider? provider, out string? pdbPath)
            || provider is null)
        {
            why = $"it has no portable PDB ({Path.ChangeExtension(assemblyPath, ".pdb")} is missing and none is embedded)";
            return null;
        }
        using (provider)
        {
            MetadataReader pdb = provider.GetMetadataReader();
            foreach (DocumentHandle handle in pdb.Documents)
            {
                string name = pdb.GetString(pdb.GetDocument(handle).Name).Replace('\\', '/');
                if (!name.EndsWith(pathSuffix, StringComparison.Ordinal)) continue;
                foreach (CustomDebugInformationHandle info in pdb.GetCustomDebugInformation(handle))
                {
                    CustomDebugInformation entry = pdb.GetCustomDebugInformation(info);
                    if (pdb.GetGuid(entry.Kind) == EmbeddedSourceKind)
                    {
                        why = "";
                        return Decode(pdb.GetBlobBytes(entry.Value));
                    }
                }
                why = $"its PDB ({pdbPath ?? "embedded"}) lists {name} but does not embed its text";
                return null;
            }
            why = $"its PDB ({pdbPath ?? "embedded"}) has no document ending in {pathSuffix}";
            return null;
        }
    }

    /// <summary>The blob: an int32 format (0: raw text follows; otherwise the text's size, deflate-compressed), then the bytes.</summary>
    private static string Decode(byte[] blob)
    {
        int format = BitConverter.ToInt32(blob, 0);
        byte[] bytes;
        if (format == 0)
        {
            bytes = blob[4..];
        }
        else
        {
            bytes = new byte[format];
            using var deflate = new DeflateStream(new MemoryStream(blob, 4, blob.Length - 4), CompressionMode.Decompress);
            deflate.ReadExactly(bytes);
        }
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
