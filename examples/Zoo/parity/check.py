"""The full check outside CI: for each architecture the zoo lists (or those named), builds torchvision 0.14's model with
its own random init (batch-norm statistics and every parameter initialized to one constant perturbed, so no layer is
the identity or zero), saves its state_dict and a
random input, runs `Zoo run` on them with --save and --onnx, and compares: the outputs (max |Δ| against
1e-4 · max(1, max |y|)), the weights written back (bit for bit, under torchvision's keys). Prints a Markdown table.
Run from the repository root with Debian's python3 (PyTorch 1.13, torchvision 0.14), after
`dotnet build -c Release examples/Zoo`:  python3 examples/Zoo/parity/check.py [arch ...]"""
import os
import re
import subprocess
import sys
import tempfile

import torch

sys.path.insert(0, os.path.dirname(__file__))
from manifests import ARCHITECTURES  # noqa: E402

ZOO = ["dotnet", "examples/Zoo/bin/Release/net10.0/Zoo.dll"]


def main():
    names = sys.argv[1:] or subprocess.run(ZOO + ["list"], check=True, capture_output=True, text=True).stdout.split()
    print("| architecture | parameters | max difference (bound) | ONNX max difference | weights back | seconds |")
    print("|---|---|---|---|---|---|")
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            torch.manual_seed(0)
            model = ARCHITECTURES[name]().eval()
            with torch.no_grad():
                # A parameter torchvision starts at one constant (ViT's zero head, ConvNeXt's 1e-6 layer scale, batch-norm
                # ones and zeros) would let a wrong reading of it pass unseen (ViT's output would be 0): perturb it.
                for parameter in model.parameters():
                    if parameter.numel() > 1 and bool((parameter == parameter.flatten()[0]).all()):
                        parameter.add_(0.05 * torch.randn_like(parameter))
                for key, tensor in model.state_dict().items():
                    if key.endswith("running_mean"):
                        tensor.normal_(0, 0.1)
                    elif key.endswith("running_var"):
                        tensor.uniform_(0.5, 1.5)
            x = torch.randn(2, 3, 224, 224)
            weights, inputs, outputs, back, onnx = (os.path.join(tmp, f) for f in ("w.pt", "x.pt", "y.pt", "back.pt", "m.onnx"))
            torch.save(model.state_dict(), weights)
            torch.save({"input": x}, inputs)
            with torch.no_grad():
                expected = model(x)
            expected = expected if isinstance(expected, dict) else {"output": expected}
            run = subprocess.run(ZOO + ["run", name, "--weights", weights, "--input", inputs, "--output", outputs, "--save", back, "--onnx", onnx],
                                 capture_output=True, text=True)
            if run.returncode != 0:
                print(f"| {name} | run failed: {run.stderr.strip()} | | | | |")
                failed += 1
                continue
            got = torch.load(outputs)
            diff = max((got[k] - expected[k]).abs().max().item() for k in expected)
            bound = 1e-4 * max(1.0, max(v.abs().max().item() for v in expected.values()))
            onnx_diff = float(re.search(r"at most ([0-9.Ee+-]+)", run.stdout).group(1))
            saved, original = torch.load(back), model.state_dict()
            same = saved.keys() == original.keys() and all(torch.equal(saved[k], original[k]) for k in original)
            seconds = re.search(r"in ([0-9.]+) s", run.stdout).group(1)
            parameters = sum(p.numel() for p in model.parameters())
            ok = diff <= bound and onnx_diff <= bound and same
            failed += 0 if ok else 1
            print(f"| {name} | {parameters:,} | {diff:.2e} ({bound:.1e}) | {onnx_diff:.2e} | {'identical' if same else 'DIFFERENT'} | {seconds} |")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
