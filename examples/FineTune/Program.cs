using System;
using FineTune;
using ModelDsl.Training;
using static TorchSharp.torch;

// Fine-tuning a network trained in PyTorch: train_in_pytorch.py trains DigitsMlp on digits 0–4 and saves its
// state_dict; this loads it strictly, checks it computes PyTorch's outputs, freezes the body and trains a new head on
// digits 5–9. `--epochs N` sets the fine-tuning epochs (default 2); `--quick` is the CI twin's run on 500 images.
// One libtorch thread unless OMP_NUM_THREADS says otherwise, as in the Quickstart (its comment has the measurements).
if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null) set_num_threads(1);

bool quick = false;
int epochs = 2;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--quick") quick = true;
    else if (args[i] == "--epochs" && i + 1 < args.Length && int.TryParse(args[++i], out int n) && n >= 1) epochs = n;
    else
    {
        Console.Error.WriteLine($"bad argument '{args[i]}'; usage: [--epochs N (N ≥ 1)] [--quick]");
        return 2;
    }
}

FineTuneResult result = FineTuneRun.Run(quick, epochs, log: Console.Out);
Console.WriteLine($"freezing the body: {result.FrozenTrainable:N0} instead of {result.FullTrainable:N0} trainable parameters, " +
                  $"{result.FrozenEpochSeconds:0.000} s instead of {result.FullEpochSeconds:0.000} s per epoch");
return result.MaxOutputDifference <= 1e-5 ? 0 : 1;
