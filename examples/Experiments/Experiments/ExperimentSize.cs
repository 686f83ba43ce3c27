namespace Experiments;

/// <summary>How big a run is: the full run the docs quote, or the quick twin the tests run in a few seconds.</summary>
public enum ExperimentSize
{
    /// <summary>Small samples and few steps: enough for the qualitative claim, seconds on two cores.</summary>
    Quick,
    /// <summary>The run whose numbers docs/experiments.md quotes.</summary>
    Full,
}
