"""Writes fixtures/{arch}.pt: torchvision 0.14's eval output for formula weights and the formula input
(formula.py), which ZooParityTests compare with the DSL declarations; and keys.json (every state_dict key, shape and
dtype). Segmentation maps are kept at every 8th pixel so the files stay small. Run with Debian's python3 (PyTorch 1.13,
torchvision 0.14) from this folder: python3 fixtures.py [arch ...]"""
import json
import os
import sys

import torch

from formula import fill, value
from manifests import ARCHITECTURES

BATCH = 2

if __name__ == "__main__":
    torch.set_num_threads(1)
    os.makedirs("fixtures", exist_ok=True)
    names = sys.argv[1:] or list(ARCHITECTURES)
    x = value("input", [BATCH, 3, 224, 224])
    for name in names:
        model = ARCHITECTURES[name]().eval()
        fill(model)
        with torch.no_grad():
            y = model(x)
        if isinstance(y, dict):
            out = {k: v[:, :, ::8, ::8].contiguous() for k, v in y.items()}
        else:
            out = {"output": y}
        torch.save(out, f"fixtures/{name}.pt")
        print(name, {k: (list(v.shape), float(v.abs().max())) for k, v in out.items()})
