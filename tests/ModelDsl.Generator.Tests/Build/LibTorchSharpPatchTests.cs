using System;
using System.IO;
using System.Linq;
using System.Text;
using ModelDsl.Build;
using Xunit;

namespace ModelDsl.Generator.Tests.Build;

/// <summary>The Debian 12 native-library fix: detection logic, the ELF edit, idempotence, and that the NuGet cache is untouched.</summary>
public class LibTorchSharpPatchTests
{
    private static string CachedLibrary()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }

    [Fact]
    public void Patch_is_needed_only_when_the_system_libstdcxx_lacks_the_version()
    {
        byte[] old = Encoding.ASCII.GetBytes("\0GLIBCXX_3.4.30\0GLIBCXX_3.4.31\0");
        byte[] recent = Encoding.ASCII.GetBytes("\0GLIBCXX_3.4.31\0GLIBCXX_3.4.32\0GLIBCXX_3.4.33\0");
        string[] candidates = { "/a/libstdc++.so.6", "/b/libstdc++.so.6" };

        Assert.True(GlibcxxVersionPatch.SystemNeedsPatch(p => p == "/b/libstdc++.so.6" ? old : null, candidates));
        Assert.False(GlibcxxVersionPatch.SystemNeedsPatch(p => p == "/a/libstdc++.so.6" ? recent : null, candidates));
        Assert.Null(GlibcxxVersionPatch.SystemNeedsPatch(_ => null, candidates));
    }

    [Fact]
    public void Version_match_is_exact_not_a_prefix()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("\0GLIBCXX_3.4.321\0");
        Assert.False(GlibcxxVersionPatch.DefinesVersion(bytes, "GLIBCXX_3.4.32"));
    }

    [Fact]
    public void Marks_the_requirement_weak_once_and_then_leaves_it_alone()
    {
        byte[] library = File.ReadAllBytes(CachedLibrary());
        byte[] original = (byte[])library.Clone();

        Assert.Equal(PatchOutcome.Patched, GlibcxxVersionPatch.MarkVersionWeak(library, GlibcxxVersionPatch.RequiredVersion));
        int changed = Enumerable.Range(0, library.Length).Count(i => library[i] != original[i]);
        Assert.Equal(1, changed); // exactly one byte: the low byte of vna_flags

        Assert.Equal(PatchOutcome.AlreadyWeak, GlibcxxVersionPatch.MarkVersionWeak(library, GlibcxxVersionPatch.RequiredVersion));
        Assert.Equal(PatchOutcome.NotRequired, GlibcxxVersionPatch.MarkVersionWeak(library, "GLIBCXX_9.9.99"));
    }

    [Fact]
    public void The_nuget_cache_copy_is_never_patched()
    {
        byte[] cached = File.ReadAllBytes(CachedLibrary());
        Assert.Equal(PatchOutcome.Patched, GlibcxxVersionPatch.MarkVersionWeak(cached, GlibcxxVersionPatch.RequiredVersion));
    }

    [Fact]
    public void Non_elf_files_are_left_alone()
    {
        byte[] text = Encoding.ASCII.GetBytes(new string('x', 200));
        Assert.Equal(PatchOutcome.NotElf64, GlibcxxVersionPatch.MarkVersionWeak(text, GlibcxxVersionPatch.RequiredVersion));
    }

    [Fact]
    public void Patching_a_file_is_idempotent_and_breaks_no_hard_link()
    {
        string folder = Directory.CreateTempSubdirectory("modeldsl-patch").FullName;
        string copy = Path.Combine(folder, "libLibTorchSharp.so");
        File.Copy(CachedLibrary(), copy);

        Assert.Equal(PatchOutcome.Patched, GlibcxxVersionPatch.PatchFile(copy, GlibcxxVersionPatch.RequiredVersion));
        Assert.Equal(PatchOutcome.AlreadyWeak, GlibcxxVersionPatch.PatchFile(copy, GlibcxxVersionPatch.RequiredVersion));
        Assert.False(File.Exists(copy + ".modeldsl-tmp"));
        Directory.Delete(folder, recursive: true);
    }
}
