using System;
using System.Runtime.InteropServices;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Numerics;

public class NativeAllocatorTests
{
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    [DllImport("libc.so.6", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 MallInfo();

    [Fact]
    public void On_glibc_a_batch_sized_tensor_comes_from_the_heap_instead_of_its_own_mmap()
    {
        Assert.True(OperatingSystem.IsLinux(), "this repository's CI runs on Linux with glibc");
        TorchNative.EnsureLoaded();
        Assert.True(NativeAllocator.IsTuned);
        Assert.True(NativeAllocator.Tune()); // idempotent

        // 8 MiB: above glibc's default mmap threshold (128 KiB, raised dynamically only after a free of that size), below
        // the 32 MiB set. Hblkhd counts the bytes of blocks that have their own mmap.
        long mappedBefore = (long)MallInfo().Hblkhd;
        using (Tensor activation = empty(2 * 1024 * 1024))
        {
            long mappedWhileAlive = (long)MallInfo().Hblkhd;
            Assert.True(mappedWhileAlive - mappedBefore < 8 * 1024 * 1024,
                $"an 8 MiB tensor was mmapped on its own: {mappedWhileAlive - mappedBefore:N0} more mmapped bytes");
        }
    }
}
