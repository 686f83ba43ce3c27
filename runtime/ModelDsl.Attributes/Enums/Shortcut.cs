namespace ModelDsl;

/// <summary>The shortcut of a <c>[Residual]</c> block (He et al. 2016, §3.3 and Table 3: options B and C).</summary>
public enum Shortcut
{
    /// <summary>The identity when the branch keeps the shape, a projection when it changes it (option B).</summary>
    Auto,
    /// <summary>Always the identity: a branch that changes the shape is MD0070.</summary>
    Identity,
    /// <summary>Always a projection, also when the shape is kept (option C).</summary>
    Projection,
}
