using System;
using Zoo;
using static TorchSharp.torch;

// torchvision's architectures declared with ModelDsl: `list`, or `run ARCH --weights W --input X --output Y [--save S]
// [--onnx O]` (ZooCommand). One libtorch thread unless OMP_NUM_THREADS says otherwise, as the other examples.
if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null) set_num_threads(1);
return ZooCommand.Execute(args, Console.Out, Console.Error);
