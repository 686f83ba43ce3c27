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

    // 8 MiB: above glibc's default mmap threshold (128 KiB, raised dynamically only after a free of that size); 33 and
    // 48 MiB: above the largest threshold glibc allows (32 MiB), the size of a training convolution's unfolded input.
    // Below 64 MiB because a thread other than the process's first (a test's) allocates from a per-thread heap of at most
    // 64 MiB, past which glibc maps a block on its own whatever the settings.
    [Theory]
    [InlineData(8)]
    [InlineData(33)]
    [InlineData(48)]
    public void On_glibc_a_batch_sized_tensor_comes_from_the_heap_instead_of_its_own_mmap(int mebibytes)
    {
        Assert.True(OperatingSystem.IsLinux(), "this repository's CI runs on Linux with glibc");
        TorchNative.EnsureLoaded();
        Assert.True(NativeAllocator.IsTuned);
        Assert.True(NativeAllocator.Tune()); // idempotent

        // Hblkhd counts the bytes of blocks that have their own mmap.
        long mappedBefore = (long)MallInfo().Hblkhd;
        using (Tensor activation = empty(mebibytes * 256L * 1024))
        {
            long mappedWhileAlive = (long)MallInfo().Hblkhd;
            Assert.True(mappedWhileAlive - mappedBefore < mebibytes * 1024L * 1024,
                $"a {mebibytes} MiB tensor was mmapped on its own: {mappedWhileAlive - mappedBefore:N0} more mmapped bytes");
        }
    }

    [Fact]
    public void ReleaseFreeMemory_hands_a_freed_block_back_to_the_kernel()
    {
        TorchNative.EnsureLoaded();
        using (Tensor activation = ones(48 * 256L * 1024)) { } // written, so its pages are resident
        Assert.True(NativeAllocator.ReleaseFreeMemory());
    }
}
