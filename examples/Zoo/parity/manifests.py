"""Writes torchvision 0.14's state_dict keys and shapes for every Zoo architecture (keys.json), which the Zoo tests
compare with the DSL declarations. Run with Debian's python3 (PyTorch 1.13, torchvision 0.14): python3 manifests.py"""
import json
import torchvision.models as tvm
import torchvision.models.segmentation as seg

ARCHITECTURES = {
    "resnet18": lambda: tvm.resnet18(),
    "resnet50": lambda: tvm.resnet50(),
    "vgg11_bn": lambda: tvm.vgg11_bn(),
    "mobilenet_v2": lambda: tvm.mobilenet_v2(),
    "mobilenet_v3_small": lambda: tvm.mobilenet_v3_small(),
    "efficientnet_b0": lambda: tvm.efficientnet_b0(),
    "densenet121": lambda: tvm.densenet121(),
    "squeezenet1_1": lambda: tvm.squeezenet1_1(),
    "googlenet": lambda: tvm.googlenet(aux_logits=False, init_weights=True),
    "shufflenet_v2_x1_0": lambda: tvm.shufflenet_v2_x1_0(),
    "regnet_y_400mf": lambda: tvm.regnet_y_400mf(),
    "convnext_tiny": lambda: tvm.convnext_tiny(),
    "vit_b_16": lambda: tvm.vit_b_16(),
    "mnasnet0_5": lambda: tvm.mnasnet0_5(),
    "lraspp_mobilenet_v3_large": lambda: seg.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None),
    "fcn_resnet50": lambda: seg.fcn_resnet50(weights=None, weights_backbone=None, aux_loss=True),
}

if __name__ == "__main__":
    out = {}
    for name, make in ARCHITECTURES.items():
        sd = make().state_dict()
        out[name] = [[k, list(v.shape), str(v.dtype).replace("torch.", "")] for k, v in sd.items()]
        print(name, len(sd), sum(v.numel() for k, v in sd.items() if v.is_floating_point()))
    with open("keys.json", "w") as f:
        json.dump(out, f, indent=0)
