#!/usr/bin/python3
"""Writes MobileNetV2 1.0 224 (Sandler et al. 2018, table 2) as float ONNX with seeded random weights, for
benchmarks: latency does not depend on the weights, and the 14 MB file need not be committed.

    /usr/bin/python3 models/mobilenetv2/generate.py /tmp/mobilenetv2.onnx [--seed 1]

Opset 13, input 'input' [1, 3, 224, 224] NCHW, output 'logits' [1, 1000]; BatchNormalization kept unfolded
(with seeded random statistics, so folding is not a no-op), ReLU6 as Clip, residual Adds, GlobalAveragePool,
Flatten + Gemm head. Needs Debian's python3-torch (visible to /usr/bin/python3 only).
"""
import argparse
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'common'))
from mobilenet import InvertedResidual, conv_bn, export_onnx  # noqa: E402

# (expansion t, output channels c, repeats n, first stride s) per stage
STAGES = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


class MobileNetV2(nn.Module):
    def __init__(self, classes=1000):
        super().__init__()
        layers, cin = [conv_bn(3, 32, 3, 2)], 32
        for t, c, n, s in STAGES:
            for i in range(n):
                layers.append(InvertedResidual(cin, c, t, s if i == 0 else 1))
                cin = c
        layers.append(conv_bn(cin, 1280, 1))
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(1280, classes)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.features(x)), 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('out', help='path of the .onnx file to write')
    parser.add_argument('--seed', type=int, default=1)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    model = MobileNetV2()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):  # plausible, non-trivial statistics
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.1, 0.1)
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    export_onnx(model, args.out, (1, 3, 224, 224))
    params = sum(p.numel() for p in model.parameters())
    print(f'MobileNetV2 1.0 224: {params} parameters, seed {args.seed}; wrote {args.out} ({os.path.getsize(args.out)} bytes)')


if __name__ == '__main__':
    main()
