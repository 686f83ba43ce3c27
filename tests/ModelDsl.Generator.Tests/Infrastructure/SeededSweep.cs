using System;
using CsCheck;

namespace ModelDsl.Generator.Tests.Infrastructure;

/// <summary>
/// A property test that is the same on every run: CsCheck's Sample seeds only its first iteration, so each case's seed
/// is drawn here from one fixed seed. A failing case is handed to Sample with its own seed, which shrinks it and fails
/// with the smallest failing input (printed with <paramref name="print"/>) and a seed to reproduce it.
/// </summary>
public static class SeededSweep
{
    public static void Run<T>(Gen<T> gen, Action<T> check, string seed, int iterations, Func<T, string>? print = null, int shrinkSeconds = 60)
    {
        PCG master = PCG.Parse(seed);
        for (int i = 0; i < iterations; i++)
        {
            ulong state = master.Next64();
            string caseSeed = new PCG(1, state).ToString(state);
            T value = gen.Generate(PCG.Parse(caseSeed), null, out _);
            try
            {
                check(value);
            }
            catch (Exception)
            {
                gen.Sample(check, seed: caseSeed, iter: 100_000, time: shrinkSeconds, threads: 1, print: print);
                throw;
            }
        }
    }
}
