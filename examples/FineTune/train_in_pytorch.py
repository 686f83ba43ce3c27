"""Trains the FineTune example's network in PyTorch on MNIST digits 0-4 and saves it for ModelDsl.

    /usr/bin/python3 examples/FineTune/train_in_pytorch.py [MNIST folder]

The MNIST folder holds the four uncompressed IDX files (train-images-idx3-ubyte, ...); by default it is
.data/mnist/test_data in the checkout, where the .NET examples cache them. Needs only PyTorch (1.13 tested) and numpy.

Writes, next to this script:
  digits0to4.pt    the state_dict, keys named as ModelDsl names the parameters of DigitsMlp.cs
                   (body.dense1.weight, ..., head.dense.bias), for model.LoadWeights
  reference.pt     the first 16 test images ("inputs", [16, 1, 28, 28]) and this network's logits for them
                   ("outputs", [16, 5]), which Program.cs compares with the ModelDsl model's.
"""
import os
import struct
import sys
import time
from collections import OrderedDict

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


def read_idx(path):
    # IDX: two zero bytes, a type byte (0x08 = unsigned byte), the number of dimensions, then each dimension as a
    # big-endian int32, then the data.
    with open(path, "rb") as f:
        zero, dtype, ndim = struct.unpack(">HBB", f.read(4))
        assert zero == 0 and dtype == 0x08, path
        shape = struct.unpack(">" + "I" * ndim, f.read(4 * ndim))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(shape)


def load(folder, prefix):
    images = read_idx(os.path.join(folder, prefix + "-images-idx3-ubyte"))
    labels = read_idx(os.path.join(folder, prefix + "-labels-idx1-ubyte"))
    # pixel / 256, as TorchSharp's MNIST reader (and so ModelDsl's MnistData) scales them.
    x = torch.from_numpy(images.astype(np.float32) / 256.0).reshape(-1, 1, 28, 28)
    return x, torch.from_numpy(labels.astype(np.int64))


def model():
    # The names give the state_dict keys of DigitsMlp.cs: body.dense1/dense2, head.dense.
    body = nn.Sequential(OrderedDict([
        ("flatten", nn.Flatten()),
        ("dense1", nn.Linear(784, 128)), ("relu1", nn.ReLU()),
        ("dense2", nn.Linear(128, 64)), ("relu2", nn.ReLU()),
    ]))
    head = nn.Sequential(OrderedDict([("dense", nn.Linear(64, 5))]))
    return nn.Sequential(OrderedDict([("body", body), ("head", head)]))


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", ".data", "mnist", "test_data")
    torch.manual_seed(0)
    torch.set_num_threads(2)
    x_train, y_train = load(folder, "train")
    x_test, y_test = load(folder, "t10k")
    keep = y_train < 5
    x_train, y_train = x_train[keep], y_train[keep]
    test_keep = y_test < 5

    net = model()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(3):
        start = time.time()
        net.train()
        order = torch.randperm(len(y_train))
        for i in range(0, len(order), 128):
            batch = order[i:i + 128]
            optimizer.zero_grad()
            loss = loss_fn(net(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
        net.eval()
        with torch.no_grad():
            accuracy = (net(x_test[test_keep]).argmax(1) == y_test[test_keep]).float().mean().item()
        print(f"epoch {epoch + 1}: test accuracy on digits 0-4 {accuracy:.2%} ({time.time() - start:.1f} s)")

    torch.save(net.state_dict(), os.path.join(HERE, "digits0to4.pt"))
    with torch.no_grad():
        inputs = x_test[:16].clone()
        outputs = net(inputs)
    torch.save(OrderedDict([("inputs", inputs), ("outputs", outputs.clone())]), os.path.join(HERE, "reference.pt"))
    print("keys:", ", ".join(net.state_dict().keys()))


if __name__ == "__main__":
    main()
