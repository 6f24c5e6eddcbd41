"""
Write an untrained detector of realistic cost for the edge benchmark when no trained model is shipped yet:
the architecture of models/train/detector.py (YOLOv8-style output [1, 4 + nc, 2100] at 320 x 320) with
random weights, or a stand-in of similar size if that file is not there.

  /usr/bin/python3 edge-agent/scripts/make-bench-model.py OUT.onnx
"""
import os
import sys

import torch
import torch.nn as nn

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "models", "train"))
out = sys.argv[1]
torch.manual_seed(0)
try:
    from detector import Detector, Exported  # noqa: E402

    model = Exported(Detector().eval()).eval()
    source = "models/train/detector.py (untrained)"
except ImportError:
    def block(c_in, c_out, s):
        return nn.Sequential(nn.Conv2d(c_in, c_out, 3, s, 1, bias=False), nn.BatchNorm2d(c_out), nn.SiLU())

    class StandIn(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(block(3, 16, 2), block(16, 32, 2), block(32, 32, 1), block(32, 64, 2), block(64, 64, 1))
            self.head = nn.Conv2d(64, 10, 1)

        def forward(self, x):
            y = self.head(self.body(x))  # [1, 10, 40, 40]
            y = y.flatten(2)
            return torch.cat([y, y[:, :, :500]], 2)  # [1, 10, 2100]

    model = StandIn().eval()
    source = "stand-in conv net"
torch.onnx.export(model, torch.zeros(1, 3, 320, 320), out, opset_version=17, input_names=["images"], output_names=["output0"])
import onnx  # noqa: E402

m = onnx.load(out)
for key, value in {"names": "{0: 'person', 1: 'bicycle', 2: 'car', 3: 'motorcycle', 4: 'bus', 5: 'truck'}", "imgsz": "[320, 320]", "version": "bench-untrained", "source": source}.items():
    e = m.metadata_props.add()
    e.key, e.value = key, value
onnx.save(m, out)
print(source)
