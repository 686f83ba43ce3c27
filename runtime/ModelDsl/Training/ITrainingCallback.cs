namespace ModelDsl.Training;

/// <summary>Observes training at each check and at the end; may ask the trainer to stop.</summary>
public interface ITrainingCallback
{
    /// <summary>Called after each check's record was added to the history.</summary>
    void OnCheck(Trainer trainer, HistoryRecord record);

    /// <summary>Called once when training ends (normally or because a callback stopped it).</summary>
    void OnTrainEnd(Trainer trainer);
}
