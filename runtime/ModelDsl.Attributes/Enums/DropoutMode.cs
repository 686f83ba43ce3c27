namespace ModelDsl;

/// <summary>How dropout keeps the expected activation equal between training and inference (5.8.2).</summary>
public enum DropoutMode
{
    /// <summary>Inverted dropout: scale kept units by 1/keep in training, identity in eval (PyTorch's behaviour).</summary>
    Inverted,
    /// <summary>The weight-scaling inference rule: no scaling in training, multiply by keep in eval (Srivastava et al. 2014).</summary>
    WeightScaling,
}
