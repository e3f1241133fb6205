"""MobileNet building blocks shared by the bundled models' scripts (PyTorch; run with /usr/bin/python3).

Every convolution is followed by its own BatchNorm2d and exported unfolded: the wasmq converter folds
batch-norm into the preceding convolution itself, so the ONNX files keep the training-time structure.
"""
import torch
import torch.nn as nn


def conv_bn(cin, cout, k, stride=1, groups=1, relu6=True):
    """Conv (no bias, 'same' padding for odd k) + BatchNorm, then ReLU6 unless relu6=False (a linear bottleneck)."""
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    if relu6:
        layers.append(nn.ReLU6())
    return nn.Sequential(*layers)


def separable(cin, cout, stride):
    """MobileNetV1 block: depthwise 3x3 then pointwise 1x1, each with BatchNorm and ReLU6."""
    return nn.Sequential(conv_bn(cin, cin, 3, stride, groups=cin), conv_bn(cin, cout, 1))


class InvertedResidual(nn.Module):
    """MobileNetV2 block: expand 1x1 (omitted at expansion 1), depthwise 3x3, linear project 1x1; the input is
    added back when the shapes allow it (stride 1 and cin == cout)."""

    def __init__(self, cin, cout, expansion, stride=1):
        super().__init__()
        hidden = cin * expansion
        layers = [] if expansion == 1 else [conv_bn(cin, hidden, 1)]
        layers += [conv_bn(hidden, hidden, 3, stride, groups=hidden), conv_bn(hidden, cout, 1, relu6=False)]
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


def export_onnx(model, path, input_shape, input_name='input', output_name='logits'):
    """Float ONNX, opset 13, fixed batch. PRESERVE (with the model in eval mode) skips the exporter's eval-mode
    Conv+BatchNorm fusion and no constant folding keeps every BatchNormalization node."""
    model.eval()
    torch.onnx.export(model, torch.zeros(*input_shape), path, opset_version=13, input_names=[input_name], output_names=[output_name],
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
