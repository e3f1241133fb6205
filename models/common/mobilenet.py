"""MobileNet building blocks shared by the bundled models' scripts (PyTorch; run with /usr/bin/python3).

Every convolution is followed by its own BatchNorm2d and exported unfolded: the wasmq converter folds
batch-norm into the preceding convolution itself, so the ONNX files keep the training-time structure.

Submodules have one-letter attribute names and no nn.Sequential nesting on purpose: the ONNX exporter names
every node and tensor after its module path (a Sequential's children repeat the parent's name at every level,
'/features/features.4/body/body.0/body.0.0/Conv'; these modules give '/b4/e/c/Conv'). The converted model
stores those names, and in a small model long ones weigh as much as a layer's int8 weights.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def relu6(x):
    """ReLU6 as nn.ReLU6 computes it: exported as one Clip(0, 6) (F.relu6 exports as Relu followed by Clip)."""
    return F.hardtanh(x, 0.0, 6.0)


class ConvBN(nn.Module):
    """Conv `c` (no bias, 'same' padding for odd k) + BatchNorm `n`, then ReLU6 unless relu6=False (a linear
    bottleneck)."""

    def __init__(self, cin, cout, k, stride=1, groups=1, relu6=True):
        super().__init__()
        self.c = nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False)
        self.n = nn.BatchNorm2d(cout)
        self.relu6 = relu6

    def forward(self, x):
        y = self.n(self.c(x))
        return relu6(y) if self.relu6 else y


class Separable(nn.Module):
    """MobileNetV1 block: depthwise 3x3 `d` then pointwise 1x1 `p`, each with BatchNorm and ReLU6."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.d = ConvBN(cin, cin, 3, stride, groups=cin)
        self.p = ConvBN(cin, cout, 1)

    def forward(self, x):
        return self.p(self.d(x))


class InvertedResidual(nn.Module):
    """MobileNetV2 block: expand 1x1 `e` (omitted at expansion 1), depthwise 3x3 `d`, linear project 1x1 `p`;
    the input is added back when the shapes allow it (stride 1 and cin == cout)."""

    def __init__(self, cin, cout, expansion, stride=1):
        super().__init__()
        hidden = cin * expansion
        self.e = None if expansion == 1 else ConvBN(cin, hidden, 1)
        self.d = ConvBN(hidden, hidden, 3, stride, groups=hidden)
        self.p = ConvBN(hidden, cout, 1, relu6=False)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.p(self.d(x if self.e is None else self.e(x)))
        return x + y if self.residual else y


def export_onnx(model, path, input_shape, input_name='input', output_name='logits'):
    """Float ONNX, opset 13, fixed batch. PRESERVE (with the model in eval mode) skips the exporter's eval-mode
    Conv+BatchNorm fusion and no constant folding keeps every BatchNormalization node."""
    model.eval()
    torch.onnx.export(model, torch.zeros(*input_shape), path, opset_version=13, input_names=[input_name], output_names=[output_name],
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
