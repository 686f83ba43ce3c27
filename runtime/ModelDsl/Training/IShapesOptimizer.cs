namespace ModelDsl.Training;

/// <summary>
/// A stateful callback whose state includes parameter groups it added to the optimizer (<see cref="UnfreezeAt"/>): loading
/// a checkpoint gives it its state before the optimizer's state is applied as well as after, and loading its state must
/// therefore be repeatable (adding only what is missing).
/// </summary>
internal interface IShapesOptimizer
{
}
