#!/usr/bin/python3
"""Trains the bundled digit classifier (a small MobileNet-style CNN) and exports it as float ONNX.

Needs Debian's python3-torch, which only /usr/bin/python3 sees (not a pyenv python3 on PATH):

    node --import tsx models/digits/export-data.mjs /tmp/digits-data
    /usr/bin/python3 models/digits/train.py /tmp/digits-data models/digits

Reads the fixed 8,000/2,000 split written by export-data.mjs, trains on the 8,000 (seeded, CPU, 1 thread),
measures the held-out accuracy on the 2,000, and writes <out>/digits.onnx (opset 13, batch 1, BatchNormalization
kept unfolded) and <out>/digits.json (input name, layout, normalization, labels, accuracy).
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'common'))
from mobilenet import ConvBN, InvertedResidual, Separable, export_onnx, relu6  # noqa: E402

SEED = 20261123
# Plain [0, 1] pixels: no mean/std, so calibration feeds are the loader's images as they are.
MEAN, STD = 0.0, 1.0
# The last 1x1 conv's width (what global average pooling gives the head) and the head's hidden width: the
# smallest pair measured to make the int8 .wasmq >= 3.6x smaller than the float one (models/digits/README.md).
WIDTH, HEAD, DROPOUT = 256, 384, 0.2
THREADS = 1  # the machine is shared: one core trains, the other stays free


class DigitNet(nn.Module):
    """MobileNetV3-style: a small convolutional body, a wide last 1x1 conv, then global average pooling and a
    fully-connected head (FC WIDTH -> HEAD with ReLU6 and dropout, FC HEAD -> 10). The head holds most of the
    weights, in layers with WIDTH and HEAD weights per output channel, where int8 (1 B a weight, plus an int32
    bias and an f32 scale per channel) saves close to 4x over float32 (4 B a weight, 4 B bias); a depthwise
    channel has only 9 weights, so there the per-channel data weigh almost as much as the weights."""

    def __init__(self, width=WIDTH, head=HEAD, dropout=DROPOUT):
        super().__init__()
        # short attribute names: they become the exported node and tensor names (see mobilenet.py)
        self.s = ConvBN(1, 8, 3)                     # 28x28x8
        self.b1 = Separable(8, 16, 2)                # 14x14x16
        self.b2 = InvertedResidual(16, 16, 4)        # 14x14x16
        self.b3 = Separable(16, 32, 2)               # 7x7x32
        self.b4 = InvertedResidual(32, 32, 6)        # 7x7x32
        self.c = ConvBN(32, width, 1)                # 7x7xWIDTH
        self.gap = nn.AdaptiveAvgPool2d(1)           # WIDTH
        self.h = nn.Linear(width, head)              # HEAD, then ReLU6 and dropout
        self.drop = nn.Dropout(dropout)
        self.fc = nn.Linear(head, 10)

    def forward(self, x):
        x = self.c(self.b4(self.b3(self.b2(self.b1(self.s(x))))))
        x = torch.flatten(self.gap(x), 1)
        return self.fc(self.drop(relu6(self.h(x))))


def load(data_dir, name):
    images = np.load(os.path.join(data_dir, f'{name}-images.npy'))
    labels = np.load(os.path.join(data_dir, f'{name}-labels.npy'))
    x = (torch.from_numpy(images).float().unsqueeze(1) - MEAN) / STD  # NCHW
    return x, torch.from_numpy(labels.astype(np.int64))


def augment(x, gen):
    """Small random rotations (+-10 deg), scalings (0.9-1.1) and shifts (+-2 px), one affine warp per digit."""
    n = x.shape[0]
    angle = (torch.rand(n, generator=gen) * 2 - 1) * math.radians(10)
    scale = 1 + (torch.rand(n, generator=gen) * 2 - 1) * 0.1
    shift = (torch.rand(n, 2, generator=gen) * 2 - 1) * (2 / 14)  # grid units: 14 px per unit on 28 px
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1), torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, align_corners=False, padding_mode='zeros')


@torch.no_grad()
def accuracy(model, x, y):
    model.eval()
    correct = sum((model(x[i:i + 500]).argmax(1) == y[i:i + 500]).sum().item() for i in range(0, len(x), 500))
    return correct / len(x)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('data', help='directory written by export-data.mjs')
    parser.add_argument('out', help='directory for digits.onnx and digits.json')
    parser.add_argument('--epochs', type=int, default=20)
    args = parser.parse_args()

    torch.manual_seed(SEED)
    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)
    gen = torch.Generator().manual_seed(SEED)

    x_train, y_train = load(args.data, 'train')
    x_held, y_held = load(args.data, 'heldout')
    assert (len(x_train), len(x_held)) == (8000, 2000), 'expected the fixed 8,000/2,000 split'

    model = DigitNet()
    params = sum(p.numel() for p in model.parameters())
    batch = 128
    steps = args.epochs * math.ceil(len(x_train) / batch)
    opt = torch.optim.AdamW(model.parameters(), lr=6e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=6e-3, total_steps=steps)
    start = time.time()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(x_train), generator=gen)
        total = 0.0
        for i in range(0, len(order), batch):
            idx = order[i:i + batch]
            loss = F.cross_entropy(model(augment(x_train[idx], gen)), y_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        print(f'epoch {epoch + 1:2d}  loss {total / len(x_train):.4f}  held-out {accuracy(model, x_held, y_held):.4f}  {time.time() - start:.0f}s', flush=True)
    seconds = time.time() - start
    held = accuracy(model, x_held, y_held)
    train_acc = accuracy(model, x_train, y_train)

    os.makedirs(args.out, exist_ok=True)
    export_onnx(model, os.path.join(args.out, 'digits.onnx'), (1, 1, 28, 28))
    meta = {
        'model': 'digits.onnx',
        'input': {'name': 'input', 'shape': [1, 1, 28, 28], 'layout': 'NCHW', 'dtype': 'float32', 'range': [0, 1], 'mean': MEAN, 'std': STD},
        'output': {'name': 'logits', 'shape': [1, 10]},
        'labels': [str(i) for i in range(10)],
        'heldOutAccuracy': round(held, 4),
        'heldOutCount': len(x_held),
        'trainAccuracy': round(train_acc, 4),
        'parameters': params,
        'architecture': {'width': WIDTH, 'head': HEAD, 'dropout': DROPOUT},
        'training': {'epochs': args.epochs, 'seconds': round(seconds), 'seed': SEED, 'threads': THREADS, 'torch': torch.__version__},
    }
    with open(os.path.join(args.out, 'digits.json'), 'w') as f:
        json.dump(meta, f, indent=2)
        f.write('\n')
    print(f'{params} parameters, held-out accuracy {held:.4f}, train {train_acc:.4f}, {seconds:.0f}s; wrote {args.out}/digits.onnx')


if __name__ == '__main__':
    main()
