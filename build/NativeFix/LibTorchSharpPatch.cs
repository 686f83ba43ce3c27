// Makes TorchSharp's native library load on systems whose libstdc++ predates GCC 13 (Debian 12, Ubuntu 22.04).
//
// TorchSharp 0.107's libLibTorchSharp.so was linked by GCC 13 and therefore lists a version requirement on
// GLIBCXX_3.4.32. The only symbol tied to that version is _ZSt21ios_base_library_initv, a link-time marker
// that GCC 13's <iostream> emits; the library has no relocation against it. Marking that one requirement
// weak (VER_FLG_WEAK in its Elf64_Vernaux entry) lets the dynamic loader accept an older libstdc++.
//
// This file is compiled twice: by MSBuild's RoslynCodeTaskFactory (see ModelDsl.NativeFix.targets), which gets
// the task class at the bottom, and by the test project (with MODELDSL_NO_MSBUILD defined), which tests the
// pure logic. No library exists for editing ELF version-needs from .NET, so this is written by hand.
#nullable enable
using System;
using System.IO;
using System.Text;

namespace ModelDsl.Build
{
    public enum PatchOutcome
    {
        /// <summary>The requirement was strong and is now weak.</summary>
        Patched,
        /// <summary>The requirement was already weak: nothing to do (idempotence).</summary>
        AlreadyWeak,
        /// <summary>The library does not require the version at all.</summary>
        NotRequired,
        /// <summary>Not a little-endian ELF64 file: left alone.</summary>
        NotElf64,
    }

    public static class GlibcxxVersionPatch
    {
        public const string RequiredVersion = "GLIBCXX_3.4.32";
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlgWeak = 0x2;

        /// <summary>Where Debian, Ubuntu, Fedora and Alpine keep the system libstdc++.</summary>
        public static readonly string[] LibStdCxxCandidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6",
            "/usr/lib/libstdc++.so.6",
            "/lib/x86_64-linux-gnu/libstdc++.so.6",
        };

        /// <summary>True when the library's bytes define the given symbol version (its name is in .dynstr).</summary>
        public static bool DefinesVersion(byte[] library, string version)
        {
            byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
            for (int i = 0; i + needle.Length <= library.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && library[i + j] == needle[j]) j++;
                if (j == needle.Length && (i == 0 || library[i - 1] == 0)) return true;
            }
            return false;
        }

        /// <summary>
        /// Decides whether the patch is needed: only when a system libstdc++ exists and lacks the version.
        /// Returns null (meaning "do nothing") when no system libstdc++ was found.
        /// </summary>
        public static bool? SystemNeedsPatch(Func<string, byte[]?> readFile, string[] candidates)
        {
            foreach (string path in candidates)
            {
                byte[]? bytes = readFile(path);
                if (bytes != null) return !DefinesVersion(bytes, RequiredVersion);
            }
            return null;
        }

        /// <summary>Sets VER_FLG_WEAK on the version-need entry named <paramref name="version"/>, in place.</summary>
        public static PatchOutcome MarkVersionWeak(byte[] elf, string version)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F'
                || elf[4] != 2 /* ELFCLASS64 */ || elf[5] != 1 /* little endian */)
            {
                return PatchOutcome.NotElf64;
            }

            ulong sectionTable = U64(elf, 0x28);
            int sectionSize = U16(elf, 0x3A);
            int sectionCount = U16(elf, 0x3C);
            for (int s = 0; s < sectionCount; s++)
            {
                int header = checked((int)sectionTable + s * sectionSize);
                if (U32(elf, header + 4) != ShtGnuVerneed) continue;

                int verneed = checked((int)U64(elf, header + 0x18));
                int stringsHeader = checked((int)sectionTable + (int)U32(elf, header + 0x28) * sectionSize);
                int strings = checked((int)U64(elf, stringsHeader + 0x18));

                int need = verneed;
                while (true)
                {
                    int auxCount = U16(elf, need + 2);
                    int aux = need + (int)U32(elf, need + 8);
                    for (int a = 0; a < auxCount; a++)
                    {
                        string name = CString(elf, strings + (int)U32(elf, aux + 8));
                        if (name == version)
                        {
                            ushort flags = U16(elf, aux + 4);
                            if ((flags & VerFlgWeak) != 0) return PatchOutcome.AlreadyWeak;
                            WriteU16(elf, aux + 4, (ushort)(flags | VerFlgWeak));
                            return PatchOutcome.Patched;
                        }
                        aux += (int)U32(elf, aux + 12);
                    }
                    uint next = U32(elf, need + 12);
                    if (next == 0) break;
                    need += (int)next;
                }
            }
            return PatchOutcome.NotRequired;
        }

        /// <summary>
        /// Patches a file by writing a new copy and moving it over the old one, so a hard link into the NuGet cache is
        /// replaced, never edited. The original timestamp is kept: the SDK's copy step compares size and timestamp, so it
        /// then leaves the patched copy alone instead of re-copying (and un-patching) it on every build.
        /// </summary>
        public static PatchOutcome PatchFile(string path, string version)
        {
            byte[] bytes = File.ReadAllBytes(path);
            PatchOutcome outcome = MarkVersionWeak(bytes, version);
            if (outcome != PatchOutcome.Patched) return outcome;
            DateTime written = File.GetLastWriteTimeUtc(path);
            string temporary = path + ".modeldsl-tmp";
            File.WriteAllBytes(temporary, bytes);
            File.SetLastWriteTimeUtc(temporary, written);
            File.Delete(path);
            File.Move(temporary, path);
            return outcome;
        }

        private static ushort U16(byte[] b, int o) => (ushort)(b[o] | b[o + 1] << 8);
        private static uint U32(byte[] b, int o) => (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);
        private static ulong U64(byte[] b, int o) => U32(b, o) | (ulong)U32(b, o + 4) << 32;
        private static void WriteU16(byte[] b, int o, ushort v) { b[o] = (byte)v; b[o + 1] = (byte)(v >> 8); }

        private static string CString(byte[] b, int o)
        {
            int end = o;
            while (end < b.Length && b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, o, end - o);
        }
    }

#if !MODELDSL_NO_MSBUILD
    /// <summary>MSBuild task: patch the build output's copy of libLibTorchSharp.so when the system needs it.</summary>
    public sealed class PatchLibTorchSharp : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public string LibraryPath { get; set; } = "";

        public override bool Execute()
        {
            bool? needed = GlibcxxVersionPatch.SystemNeedsPatch(
                p => File.Exists(p) ? File.ReadAllBytes(p) : null, GlibcxxVersionPatch.LibStdCxxCandidates);
            if (needed != true)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                    "ModelDsl: system libstdc++ provides " + GlibcxxVersionPatch.RequiredVersion + "; libLibTorchSharp.so left as is.");
                return true;
            }
            PatchOutcome outcome = GlibcxxVersionPatch.PatchFile(LibraryPath, GlibcxxVersionPatch.RequiredVersion);
            if (outcome == PatchOutcome.Patched)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                    "ModelDsl: the system libstdc++ lacks " + GlibcxxVersionPatch.RequiredVersion
                    + "; marked that version requirement weak in " + LibraryPath + " so TorchSharp loads here.");
            }
            return true;
        }
    }
#endif
}
