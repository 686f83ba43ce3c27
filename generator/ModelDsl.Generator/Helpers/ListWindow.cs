using System;
using System.Collections;
using System.Collections.Generic;

namespace ModelDsl.Generator.Helpers;

/// <summary>
/// A read-only view of consecutive items of a list. The planner shows each layer the layers before and after it; a copy
/// per layer made that quadratic in the model's layers, on every cold run.
/// </summary>
internal sealed class ListWindow<T> : IReadOnlyList<T>
{
    private readonly IReadOnlyList<T> items;
    private readonly int start;

    /// <summary>The items from <paramref name="start"/> to the end.</summary>
    public ListWindow(IReadOnlyList<T> items, int start)
        : this(items, start, items.Count - start)
    {
    }

    public ListWindow(IReadOnlyList<T> items, int start, int count)
    {
        if (start < 0 || count < 0 || start + count > items.Count) throw new ArgumentOutOfRangeException(nameof(count));
        this.items = items;
        this.start = start;
        Count = count;
    }

    public int Count { get; }

    public T this[int index] => index >= 0 && index < Count ? items[start + index] : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<T> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return items[start + i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
