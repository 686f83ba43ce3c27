using System;
using System.IO;
using ModelDsl;
using ModelDsl.Data;
using ModelDsl.Training;
using TorchSharp;
using static ModelDsl.Init;
using static TorchSharp.torch;

// Prints lines ConsumerSmokeTests asserts on: the reporter Auto() chose and the saved learning-curve PNG.
using var scope = NewDisposeScope();
var model = new Mlp(seed: 42);
using var data = new LabeledData(randn(256, 784, generator: new Generator(1)), randint(0, 10, new long[] { 256 }, generator: new Generator(2)));
IProgressReporter progress = ProgressReporters.Auto();
Console.WriteLine($"reporter: {progress.GetType().Name}");
var trainer = new Trainer(model, optim.Adam(model.parameters(), lr: 1e-3), new TrainerOptions { Epochs = 2, BatchSize = 64, Seed = 42, Progress = progress });
History history = trainer.Fit(data, data);
string png = history.SaveArtifacts(Path.Combine(AppContext.BaseDirectory, "artifacts"));
byte[] head = File.ReadAllBytes(png)[..4];
Console.WriteLine($"png: {new FileInfo(png).Length > 1000} {head[1] == 'P' && head[2] == 'N' && head[3] == 'G'}");

[Model(784)]
[Dense(256, Init = He), BatchNorm, ReLU, Dropout(0.5)]
[Dense(10)]
public partial class Mlp { }
