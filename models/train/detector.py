"""
Compact single-stage detector for Streetwise, trained on rendered street scenes.

Output is YOLOv8-style: one tensor [1, 4 + nc, N] with (cx, cy, w, h) in input pixels and per-class
sigmoid scores, N = 40*40 + 20*20 + 10*10 = 2100 anchor points for a 320 x 320 input, so the edge
agent decodes it with the same code as a real YOLOv8/YOLO11 export.

Run with Debian's /usr/bin/python3 (python3-torch, python3-onnx):
  /usr/bin/python3 models/train/detector.py --data DIR --val DIR --out models/detector.onnx --minutes 12 --seed 1
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

from common import Progress, log, setup, write_json

CLASSES = ["person", "bicycle", "car", "motorcycle", "bus", "truck"]
INPUT = 320
STRIDES = (8, 16, 32)
# Objects are assigned to the levels whose size range holds their longer side (ranges overlap).
SIZE_RANGES = ((0, 64), (40, 160), (112, 10_000))
# Training crop side: must be a multiple of the largest stride.
CROP = 256


def conv(c_in, c_out, k=3, s=1):
    return nn.Sequential(nn.Conv2d(c_in, c_out, k, s, k // 2, bias=False), nn.BatchNorm2d(c_out), nn.SiLU(inplace=True))


class Residual(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.a = conv(c, c)
        self.b = conv(c, c)

    def forward(self, x):
        return x + self.b(self.a(x))


class Detector(nn.Module):
    def __init__(self, nc=len(CLASSES), widths=(16, 24, 48, 96, 128), neck=48):
        super().__init__()
        w = widths
        self.nc = nc
        self.stem = conv(3, w[0], 3, 2)  # 160
        self.s2 = conv(w[0], w[1], 3, 2)  # 80
        self.s3 = nn.Sequential(conv(w[1], w[2], 3, 2), Residual(w[2]))  # 40 -> P3
        self.s4 = nn.Sequential(conv(w[2], w[3], 3, 2), Residual(w[3]))  # 20 -> P4
        self.s5 = nn.Sequential(conv(w[3], w[4], 3, 2), Residual(w[4]))  # 10 -> P5
        self.lat = nn.ModuleList([conv(c, neck, 1) for c in (w[2], w[3], w[4])])
        self.smooth = nn.ModuleList([conv(neck, neck) for _ in STRIDES])
        self.box = nn.ModuleList([nn.Conv2d(neck, 4, 1) for _ in STRIDES])
        self.cls = nn.ModuleList([nn.Conv2d(neck, nc, 1) for _ in STRIDES])
        for layer in self.cls:
            nn.init.constant_(layer.bias, -4.6)  # prior 1% so early training is not swamped by background

    def features(self, x):
        p3 = self.s3(self.s2(self.stem(x)))
        p4 = self.s4(p3)
        p5 = self.s5(p4)
        l5 = self.lat[2](p5)
        l4 = self.lat[1](p4) + F.interpolate(l5, scale_factor=2.0, mode="nearest")
        l3 = self.lat[0](p3) + F.interpolate(l4, scale_factor=2.0, mode="nearest")
        return [self.smooth[0](l3), self.smooth[1](l4), self.smooth[2](l5)]

    def forward(self, x):
        """Raw outputs: distances [B, N, 4] (pixels, l t r b) and class logits [B, N, nc]."""
        dists, logits = [], []
        for i, f in enumerate(self.features(x)):
            b = f.shape[0]
            d = F.softplus(self.box[i](f)) * STRIDES[i]
            dists.append(d.permute(0, 2, 3, 1).reshape(b, -1, 4))
            logits.append(self.cls[i](f).permute(0, 2, 3, 1).reshape(b, -1, self.nc))
        return torch.cat(dists, 1), torch.cat(logits, 1)


def anchor_points(size=INPUT):
    pts, strides = [], []
    for s in STRIDES:
        n = size // s
        ys, xs = torch.meshgrid(torch.arange(n, dtype=torch.float32), torch.arange(n, dtype=torch.float32), indexing="ij")
        pts.append(torch.stack([(xs.reshape(-1) + 0.5) * s, (ys.reshape(-1) + 0.5) * s], 1))
        strides.append(torch.full((n * n,), float(s)))
    return torch.cat(pts), torch.cat(strides)


def decode(dists, anchors):
    """Distances (l, t, r, b) from anchor points to boxes (x1, y1, x2, y2)."""
    return torch.cat([anchors - dists[..., :2], anchors + dists[..., 2:]], -1)


class Exported(nn.Module):
    """The graph that goes to ONNX: input images [1, 3, 320, 320] RGB 0..1, output [1, 4 + nc, N]."""

    def __init__(self, net):
        super().__init__()
        self.net = net
        anchors, _ = anchor_points()
        self.register_buffer("anchors", anchors)

    def forward(self, images):
        dists, logits = self.net(images)
        xyxy = decode(dists, self.anchors)
        cxcy = (xyxy[..., :2] + xyxy[..., 2:]) / 2
        wh = xyxy[..., 2:] - xyxy[..., :2]
        return torch.cat([cxcy, wh, torch.sigmoid(logits)], -1).permute(0, 2, 1)


# ---------------------------------------------------------------- data

def load_set(directory, limit=None):
    images, targets = [], []
    with open(os.path.join(directory, "labels.jsonl")) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    if limit:
        rows = rows[:limit]
    for row in rows:
        img = Image.open(os.path.join(directory, row["file"])).convert("RGB")
        images.append(np.asarray(img, dtype=np.uint8).transpose(2, 0, 1).copy())
        boxes = np.array(row["boxes"], dtype=np.float32).reshape(-1, 6)
        targets.append(boxes)
    return torch.from_numpy(np.stack(images)), targets


def box_iou(a, b):
    """IoU of every box in a [n, 4] with every box in b [m, 4], xyxy."""
    area_a = (a[:, 2] - a[:, 0]).clamp(min=0) * (a[:, 3] - a[:, 1]).clamp(min=0)
    area_b = (b[:, 2] - b[:, 0]).clamp(min=0) * (b[:, 3] - b[:, 1]).clamp(min=0)
    lt = torch.max(a[:, None, :2], b[None, :, :2])
    rb = torch.min(a[:, None, 2:], b[None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    return inter / (area_a[:, None] + area_b[None, :] - inter + 1e-9)


def giou_loss(p, g):
    lt = torch.max(p[:, :2], g[:, :2])
    rb = torch.min(p[:, 2:], g[:, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    area_p = (p[:, 2:] - p[:, :2]).clamp(min=0).prod(-1)
    area_g = (g[:, 2:] - g[:, :2]).clamp(min=0).prod(-1)
    union = area_p + area_g - inter + 1e-9
    iou = inter / union
    enclose = (torch.max(p[:, 2:], g[:, 2:]) - torch.min(p[:, :2], g[:, :2])).clamp(min=0).prod(-1) + 1e-9
    return 1 - iou + (enclose - union) / enclose, iou


def assign(gt, anchors, strides):
    """
    FCOS-style assignment with centre sampling: an anchor is positive for a box when its point is inside
    the box, within 2.5 strides of the box centre, on a level whose size range holds the box; the
    smallest such box wins. Returns (gt index per anchor or -1, mask of anchors inside ignore boxes).
    """
    n = anchors.shape[0]
    matched = torch.full((n,), -1, dtype=torch.long)
    ignore = torch.zeros(n, dtype=torch.bool)
    if gt.shape[0] == 0:
        return matched, ignore
    boxes = gt[:, 1:5]
    keep = gt[:, 5] < 0.5
    x, y = anchors[:, 0:1], anchors[:, 1:2]
    inside = (x > boxes[None, :, 0]) & (x < boxes[None, :, 2]) & (y > boxes[None, :, 1]) & (y < boxes[None, :, 3])
    if (~keep).any():
        ignore = inside[:, ~keep].any(1)
    if not keep.any():
        return matched, ignore
    b = boxes[keep]
    inside = inside[:, keep]
    cx, cy = (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2
    radius = strides[:, None] * 2.5
    near = ((x - cx[None]).abs() < radius) & ((y - cy[None]).abs() < radius)
    side = torch.max(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])
    level_ok = torch.zeros_like(near)
    for s, (lo, hi) in zip(STRIDES, SIZE_RANGES):
        level_ok |= (strides[:, None] == s) & (side[None] >= lo) & (side[None] <= hi)
    candidate = inside & near & level_ok
    # Tiny boxes may hold no anchor point: give them the nearest point of the finest level.
    fine = strides == STRIDES[0]
    d2 = (x - cx[None]) ** 2 + (y - cy[None]) ** 2
    d2_fine = d2.masked_fill(~fine[:, None], float("inf"))
    empty = ~candidate.any(0)
    if empty.any():
        nearest = d2_fine.argmin(0)
        for j in torch.nonzero(empty).flatten().tolist():
            candidate[nearest[j], j] = True
    area = ((b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]))[None].expand(n, -1)
    area = area.masked_fill(~candidate, float("inf"))
    best_area, best = area.min(1)
    index = torch.nonzero(keep).flatten()
    matched = torch.where(torch.isfinite(best_area), index[best], matched)
    return matched, ignore & (matched < 0)


def compute_loss(dists, logits, targets, anchors, strides, nc):
    batch = dists.shape[0]
    pred = decode(dists, anchors[None])
    cls_target = torch.zeros_like(logits)
    weight = torch.ones_like(logits)
    box_losses, num_pos = [], 0
    for i in range(batch):
        gt = targets[i]
        matched, ignore = assign(gt, anchors, strides)
        weight[i, ignore] = 0
        pos = matched >= 0
        if pos.any():
            g = gt[matched[pos]]
            loss, iou = giou_loss(pred[i, pos], g[:, 1:5])
            box_losses.append(loss)
            cls_target[i, pos, g[:, 0].long()] = iou.detach().clamp(min=0.05)
            num_pos += int(pos.sum())
    prob = torch.sigmoid(logits)
    # Quality focal loss (GFL): the class target is the IoU of the predicted box, so scores rank boxes by fit.
    qfl = F.binary_cross_entropy_with_logits(logits, cls_target, reduction="none") * (prob - cls_target).abs().pow(2)
    norm = max(num_pos, 1)
    cls_loss = (qfl * weight).sum() / norm
    box_loss = torch.cat(box_losses).sum() / norm if box_losses else dists.sum() * 0
    return cls_loss + 2.0 * box_loss, cls_loss.item(), box_loss.item()


# ---------------------------------------------------------------- evaluation

def nms(boxes, scores, iou_threshold):
    order = scores.argsort(descending=True)
    keep = []
    while order.numel() > 0:
        i = order[0]
        keep.append(int(i))
        if order.numel() == 1:
            break
        ious = box_iou(boxes[i : i + 1], boxes[order[1:]])[0]
        order = order[1:][ious <= iou_threshold]
    return keep


def postprocess(output, conf=0.01, iou=0.5, max_det=100):
    """[4 + nc, N] exported output -> list of (x1, y1, x2, y2, score, class)."""
    out = output.T
    xyxy = torch.cat([out[:, :2] - out[:, 2:4] / 2, out[:, :2] + out[:, 2:4] / 2], 1)
    scores, classes = out[:, 4:].max(1)
    keep = scores > conf
    xyxy, scores, classes = xyxy[keep], scores[keep], classes[keep]
    if scores.numel() > 1000:
        top = scores.topk(1000).indices
        xyxy, scores, classes = xyxy[top], scores[top], classes[top]
    dets = []
    for c in classes.unique():
        m = classes == c
        for k in nms(xyxy[m], scores[m], iou):
            dets.append((*xyxy[m][k].tolist(), float(scores[m][k]), int(c)))
    dets.sort(key=lambda d: -d[4])
    return dets[:max_det]


def average_precision(recall, precision):
    """All-point interpolated AP (VOC 2010+)."""
    r = np.concatenate([[0.0], recall, [1.0]])
    p = np.concatenate([[0.0], precision, [0.0]])
    for i in range(len(p) - 2, -1, -1):
        p[i] = max(p[i], p[i + 1])
    idx = np.where(r[1:] != r[:-1])[0]
    return float(np.sum((r[idx + 1] - r[idx]) * p[idx + 1]))


def evaluate(model, images, targets, nc, iou_threshold=0.5, batch=16, conf_for_pr=0.35):
    """mAP@0.5 per class, and precision/recall at one operating threshold. Hits on ignore boxes do not count."""
    model.eval()
    per_class = {c: {"scores": [], "tp": [], "n_gt": 0} for c in range(nc)}
    op = {"tp": 0, "fp": 0, "n_gt": 0}
    with torch.no_grad():
        for start in range(0, images.shape[0], batch):
            outs = model(images[start : start + batch].float() / 255.0)
            for k in range(outs.shape[0]):
                dets = postprocess(outs[k], conf=0.01)
                gt = targets[start + k]
                gt_t = torch.from_numpy(gt) if isinstance(gt, np.ndarray) else gt
                for c in range(nc):
                    g = gt_t[gt_t[:, 0] == c]
                    real = g[g[:, 5] < 0.5]
                    ign = g[g[:, 5] >= 0.5]
                    per_class[c]["n_gt"] += real.shape[0]
                    op["n_gt"] += real.shape[0]
                    used = torch.zeros(real.shape[0], dtype=torch.bool)
                    for d in [d for d in dets if d[5] == c]:
                        box = torch.tensor([d[:4]])
                        hit = False
                        if real.shape[0]:
                            ious = box_iou(box, real[:, 1:5])[0]
                            ious[used] = -1
                            j = int(ious.argmax())
                            if ious[j] >= iou_threshold:
                                used[j] = True
                                hit = True
                        if not hit and ign.shape[0] and box_iou(box, ign[:, 1:5]).max() >= iou_threshold:
                            continue
                        per_class[c]["scores"].append(d[4])
                        per_class[c]["tp"].append(1 if hit else 0)
                        if d[4] >= conf_for_pr:
                            op["tp" if hit else "fp"] += 1
    result = {}
    for c in range(nc):
        s = np.array(per_class[c]["scores"])
        tp = np.array(per_class[c]["tp"])
        order = np.argsort(-s)
        tp = tp[order]
        n_gt = per_class[c]["n_gt"]
        if n_gt == 0:
            continue
        ctp = np.cumsum(tp)
        cfp = np.cumsum(1 - tp)
        recall = ctp / n_gt
        precision = ctp / np.maximum(ctp + cfp, 1e-9)
        result[CLASSES[c]] = {"ap50": round(average_precision(recall, precision), 4), "objects": int(n_gt)}
    aps = [v["ap50"] for v in result.values()]
    return {
        "map50": round(float(np.mean(aps)), 4) if aps else 0.0,
        "per_class": result,
        "at_threshold": {
            "score": conf_for_pr,
            "precision": round(op["tp"] / max(op["tp"] + op["fp"], 1), 4),
            "recall": round(op["tp"] / max(op["n_gt"], 1), 4),
        },
    }


# ---------------------------------------------------------------- training

def augment(images, targets, crop=CROP):
    """
    A random crop of crop x crop pixels (objects keep their scale, so the net sees the same sizes as at
    320 but each step costs (crop/320)^2 as much), a random horizontal flip, and a brightness/contrast
    jitter. Boxes cut to less than 40% of their area by the crop become ignore regions.
    """
    b = images.shape[0]
    out = torch.empty((b, 3, crop, crop), dtype=torch.uint8)
    out_targets = []
    for i in range(b):
        ox = int(torch.randint(0, INPUT - crop + 1, ()))
        oy = int(torch.randint(0, INPUT - crop + 1, ()))
        img = images[i, :, oy : oy + crop, ox : ox + crop]
        t = targets[i].clone()
        if t.shape[0]:
            area = (t[:, 3] - t[:, 1]) * (t[:, 4] - t[:, 2])
            t[:, [1, 3]] = (t[:, [1, 3]] - ox).clamp(0, crop)
            t[:, [2, 4]] = (t[:, [2, 4]] - oy).clamp(0, crop)
            kept = (t[:, 3] - t[:, 1]) * (t[:, 4] - t[:, 2])
            t = t[kept > 1]
            frac = kept[kept > 1] / area[kept > 1].clamp(min=1e-6)
            small = ((t[:, 4] - t[:, 2]) < 6) | ((t[:, 3] - t[:, 1]) < 3)
            t[:, 5] = torch.where((frac < 0.4) | small, torch.ones_like(frac), t[:, 5])
        if torch.rand(()) < 0.5:
            img = img.flip(-1)
            if t.shape[0]:
                x1 = crop - t[:, 3]
                x2 = crop - t[:, 1]
                t[:, 1], t[:, 3] = x1, x2
        out[i] = img
        out_targets.append(t)
    gain = 1 + (torch.rand(b, 1, 1, 1) - 0.5) * 0.4
    bias = (torch.rand(b, 1, 1, 1) - 0.5) * 0.2
    return (out.float() / 255.0 * gain + bias).clamp(0, 1), out_targets


def export_onnx(net, path, meta):
    import onnx

    exported = Exported(net).eval()
    dummy = torch.zeros(1, 3, INPUT, INPUT)
    torch.onnx.export(
        exported, dummy, path, opset_version=17, input_names=["images"], output_names=["output0"], do_constant_folding=True
    )
    model = onnx.load(path)
    for key, value in meta.items():
        entry = model.metadata_props.add()
        entry.key = key
        entry.value = value
    onnx.save(model, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="training set directory (labels.jsonl, images/)")
    parser.add_argument("--val", required=True, help="held-out set directory")
    parser.add_argument("--out", required=True, help="ONNX file to write")
    parser.add_argument("--metrics", required=True, help="JSON file for metrics")
    parser.add_argument("--steps", type=int, default=2500, help="optimiser steps")
    parser.add_argument("--max-minutes", type=float, default=90.0, help="stop early after this long (wall clock)")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--crop", type=int, default=CROP, help="training crop side, a multiple of 32")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--version", default="0.1.0")
    args = parser.parse_args()
    setup(args.seed, args.threads)

    images, raw_targets = load_set(args.data)
    targets = [torch.from_numpy(t) for t in raw_targets]
    val_images, val_targets = load_set(args.val)
    log(f"train {images.shape[0]} images, val {val_images.shape[0]} images")
    net = Detector()
    params = sum(p.numel() for p in net.parameters())
    log(f"detector parameters {params}")
    anchors, strides = anchor_points(args.crop)
    optimiser = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=5e-4)
    steps_per_epoch = math.ceil(images.shape[0] / args.batch)
    budget_s = args.max_minutes * 60
    started = time.time()
    # Step-based schedule (same result on a busy or an idle machine): warm-up, then a cosine to 2%.
    progress = Progress("detector", args.steps)
    step = 0
    epoch = 0
    while step < args.steps and time.time() - started < budget_s:
        net.train()
        order = torch.randperm(images.shape[0])
        for b in range(steps_per_epoch):
            if step >= args.steps or time.time() - started >= budget_s:
                break
            frac = step / args.steps
            lr = args.lr * min(1.0, (step + 1) / 100) * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * frac)))
            for g in optimiser.param_groups:
                g["lr"] = lr
            idx = order[b * args.batch : (b + 1) * args.batch]
            batch_images, batch_targets = augment(images[idx], [targets[int(i)] for i in idx], args.crop)
            dists, logits = net(batch_images)
            loss, cls_l, box_l = compute_loss(dists, logits, batch_targets, anchors, strides, net.nc)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 10.0)
            optimiser.step()
            step += 1
            progress.update(step, epoch=epoch, loss=round(loss.item(), 4), cls=round(cls_l, 4), box=round(box_l, 4), lr=round(lr, 6))
        epoch += 1
    if step < args.steps:
        log(f"stopped at step {step} of {args.steps}: the {args.max_minutes}-minute cap was reached")
    train_s = time.time() - started
    exported = Exported(net).eval()
    metrics = evaluate(exported, val_images, val_targets, net.nc)
    log(f"held-out mAP@0.5 {metrics['map50']} {json.dumps(metrics['per_class'])}")
    meta = {
        "names": "{" + ", ".join(f"{i}: '{c}'" for i, c in enumerate(CLASSES)) + "}",
        "imgsz": f"[{INPUT}, {INPUT}]",
        "stride": "32",
        "task": "detect",
        "end2end": "False",
        "author": "Streetwise (trained on synthetic scenes)",
        "version": args.version,
    }
    export_onnx(net, args.out, meta)
    write_json(
        args.metrics,
        {
            **metrics,
            "train_images": int(images.shape[0]),
            "val_images": int(val_images.shape[0]),
            "epochs": epoch,
            "steps": step,
            "train_seconds": round(train_s, 1),
            "parameters": params,
            "seed": args.seed,
        },
    )


if __name__ == "__main__":
    main()
