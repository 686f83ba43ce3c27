namespace ModelDsl.Training;

/// <summary>Whether a monitored metric improves downwards or upwards.</summary>
public enum MonitorMode
{
    /// <summary>Inferred from the name: losses and errors go down, accuracies (and metrics whose <see cref="IMetric.HigherIsBetter"/> is true) go up.</summary>
    Auto,

    /// <summary>Smaller is better.</summary>
    Min,

    /// <summary>Larger is better.</summary>
    Max,
}
