"""Weights and inputs both PyTorch and the Zoo tests compute bit for bit from a tensor's key alone, so the parity of a
full-size architecture is checked in CI without committing its weights (ZooFormula.cs is the C# twin; keep them equal).

Each value is splitmix64 (Steele, Lea and Flood 2014) of the element's flat index offset by a per-key phase, mapped to
u in [-1, 1) with integer arithmetic and one exact division, then scaled in double and rounded once to float32:
- weights of rank >= 2: u * sqrt(6 / fan_in), He-uniform's variance, so activations keep their scale through deep ReLU nets;
- running_var: 0.75 + 0.25 * u (positive); running_mean, biases and other rank-1 tensors named bias: 0.1 * u;
- other rank-1 tensors (norm weights, layer scales): 1 + 0.1 * u; num_batches_tracked: 0;
- rank-0 or other tensors: 0.1 * u (class tokens and position embeddings are rank 3: treated as weights).
"""
import numpy as np
import torch

MASK = np.uint64(0xFFFFFFFFFFFFFFFF)


def phase(key: str) -> int:
    h = 0
    for i, ch in enumerate(key):
        h = (h * 131 + ord(ch) * (i + 1)) % 1_000_003
    return h


def uniform(key: str, count: int) -> np.ndarray:
    with np.errstate(over="ignore"):
        z = np.arange(count, dtype=np.uint64) + np.uint64(phase(key) << 32) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) / float(1 << 52) - 1.0


def value(key: str, shape) -> torch.Tensor:
    count = int(np.prod(shape)) if len(shape) else 1
    u = uniform(key, count)
    leaf = key.rsplit(".", 1)[-1]
    if leaf == "num_batches_tracked":
        return torch.zeros(shape, dtype=torch.int64)
    if leaf == "running_var":
        v = 0.75 + 0.25 * u
    elif leaf in ("running_mean", "bias"):
        v = 0.1 * u
    elif len(shape) >= 2:
        fan_in = int(np.prod(shape[1:]))
        v = u * np.sqrt(6.0 / fan_in)
    elif len(shape) == 1:
        v = 1.0 + 0.1 * u
    else:
        v = 0.1 * u
    return torch.from_numpy(v.astype(np.float32).reshape(shape))


def fill(model: torch.nn.Module) -> None:
    state = model.state_dict()
    for key, tensor in state.items():
        tensor.copy_(value(key, list(tensor.shape)))
