using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace ModelDsl.Generator.Helpers;

/// <summary>
/// An immutable array with value equality, so pipeline records compare by content and the incremental
/// generator can cache them (the CommunityToolkit.Mvvm / NetEscapades pattern).
/// </summary>
internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IEnumerable<T>
    where T : IEquatable<T>
{
    public static readonly EquatableArray<T> Empty = new(ImmutableArray<T>.Empty);

    private readonly ImmutableArray<T> items;

    public EquatableArray(ImmutableArray<T> items) => this.items = items;

    public ImmutableArray<T> Items => items.IsDefault ? ImmutableArray<T>.Empty : items;

    public int Count => Items.Length;

    public T this[int index] => Items[index];

    public bool Equals(EquatableArray<T> other) => Items.SequenceEqual(other.Items);

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        int hash = 17;
        foreach (T item in Items) hash = unchecked(hash * 31 + (item?.GetHashCode() ?? 0));
        return hash;
    }

    public ImmutableArray<T>.Enumerator GetEnumerator() => Items.GetEnumerator();

    // Any and All as members, which calls bind to before LINQ's: LINQ reaches the items through IEnumerable<T>, a boxed
    // enumerator per call, and the planner and emitters ask these of every model's blocks and layers.
    public bool Any(Func<T, bool> predicate)
    {
        foreach (T item in Items)
        {
            if (predicate(item)) return true;
        }
        return false;
    }

    public bool All(Func<T, bool> predicate)
    {
        foreach (T item in Items)
        {
            if (!predicate(item)) return false;
        }
        return true;
    }

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable)Items).GetEnumerator();

    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);
}

internal static class EquatableArray
{
    public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items) where T : IEquatable<T>
        => new(items.ToImmutableArray());

    // Most callers hand over an array (params arguments, new[] { … }): copied directly, not through IEnumerable<T>.
    public static EquatableArray<T> ToEquatableArray<T>(this T[] items) where T : IEquatable<T>
        => new(ImmutableArray.Create(items));
}
