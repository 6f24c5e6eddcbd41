"""
Traffic forecaster for Streetwise: from the last 12 five-minute intervals of flow and speed at one
detector, plus time-of-day and day-of-week, forecast flow and speed 15, 30 and 60 minutes ahead.

Features (29, in this order; the TypeScript side in inference/src/forecast/features.ts builds the same):
  flow[t-11..t] / flow_scale, speed[t-11..t] / speed_scale,
  sin/cos(2 pi minute_of_day / 1440), sin/cos(2 pi day_of_week / 7)   (Hong Kong local time of t),
  has_flow (1, or 0 for a speed-only series whose flow features are then all 0)
flow_scale and speed_scale are the 95th percentiles of the series' flow and speed (at least 1).
A quarter of the training windows have their flow masked, so speed-only series are forecast too.
Outputs (6): flow at t+3, t+6, t+12 steps, then speed at t+3, t+6, t+12, in the same scaled units.
The network predicts changes from the last observed flow and speed; the addition is inside the graph.

  /usr/bin/python3 models/train/forecaster.py --series SERIES.csv --out models/forecaster.onnx --metrics M.json
"""
import argparse
import csv
import math
import time
from datetime import datetime

import numpy as np
import torch
import torch.nn as nn

from common import Progress, log, setup, write_json

LOOKBACK = 12
HORIZONS = (3, 6, 12)  # five-minute steps: 15, 30, 60 minutes
HK_OFFSET_S = 8 * 3600
N_FEATURES = 2 * LOOKBACK + 5
FLOW_MASK_SHARE = 0.25


def read_series(path):
    """site -> (epoch seconds [n], flow [n], speed [n]) sorted by time."""
    sites = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            ts = datetime.fromisoformat(row["timestamp"].replace("Z", "+00:00")).timestamp()
            sites.setdefault(row["site"], []).append((ts, float(row["flow"]), float(row["speed"])))
    out = {}
    for site, rows in sites.items():
        rows.sort()
        a = np.array(rows, dtype=np.float64)
        out[site] = (a[:, 0], a[:, 1], a[:, 2])
    return out


def scales(flow, speed):
    return max(1.0, float(np.percentile(flow, 95))), max(1.0, float(np.percentile(speed, 95)))


def time_features(epoch_s):
    local = epoch_s + HK_OFFSET_S
    minute = (local % 86400) / 60.0
    day = np.floor(local / 86400)
    dow = (day + 4) % 7  # 1970-01-01 was a Thursday; 0 = Sunday
    return np.stack(
        [np.sin(2 * math.pi * minute / 1440), np.cos(2 * math.pi * minute / 1440), np.sin(2 * math.pi * dow / 7), np.cos(2 * math.pi * dow / 7)], 1
    )


def windows(ts, flow, speed, fs, ss, first, last):
    """Samples whose last observed step t is in [first, last] (indices), with all targets present."""
    idx = np.arange(max(first, LOOKBACK - 1), min(last, len(ts) - 1 - max(HORIZONS)) + 1)
    if idx.size == 0:
        return np.zeros((0, N_FEATURES), np.float32), np.zeros((0, 6), np.float32), idx
    lags = idx[:, None] - np.arange(LOOKBACK - 1, -1, -1)[None]
    x = np.concatenate([flow[lags] / fs, speed[lags] / ss, time_features(ts[idx]), np.ones((len(idx), 1))], 1)
    ahead = idx[:, None] + np.array(HORIZONS)[None]
    y = np.concatenate([flow[ahead] / fs, speed[ahead] / ss], 1)
    return x.astype(np.float32), y.astype(np.float32), idx


def historical_average(ts, values, target_idx):
    """Mean of the values at the same time of day on all earlier days in the series (NaN if none)."""
    out = np.full(len(target_idx), np.nan)
    steps_per_day = 288
    for k, i in enumerate(target_idx):
        earlier = np.arange(i - steps_per_day, -1, -steps_per_day)
        if earlier.size:
            out[k] = values[earlier].mean()
    return out


class Forecaster(nn.Module):
    def __init__(self, hidden=96):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(N_FEATURES, hidden), nn.SiLU(), nn.Linear(hidden, hidden), nn.SiLU(), nn.Linear(hidden, 6))

    def forward(self, features):
        last_flow = features[:, LOOKBACK - 1 : LOOKBACK]
        last_speed = features[:, 2 * LOOKBACK - 1 : 2 * LOOKBACK]
        base = torch.cat([last_flow.expand(-1, 3), last_speed.expand(-1, 3)], 1)
        return base + self.net(features)


def evaluate(model, series, first_day, last_day):
    """MAE in real units (vehicles per 5 min, km/h) for model, historical average and last value."""
    err = {h: {k: [] for k in ("model_flow", "ha_flow", "last_flow", "model_speed", "ha_speed", "last_speed", "model_speed_only")} for h in HORIZONS}
    model.eval()
    for site, (ts, flow, speed) in series.items():
        fs, ss = scales(flow, speed)
        x, y, idx = windows(ts, flow, speed, fs, ss, first_day * 288, last_day * 288 - 1)
        if len(idx) == 0:
            continue
        with torch.no_grad():
            pred = model(torch.from_numpy(x)).numpy()
            masked = x.copy()
            masked[:, :LOOKBACK] = 0
            masked[:, N_FEATURES - 1] = 0
            pred_speed_only = model(torch.from_numpy(masked)).numpy()
        for j, h in enumerate(HORIZONS):
            target = idx + h
            ha_f = historical_average(ts, flow, target)
            ha_s = historical_average(ts, speed, target)
            ok = ~np.isnan(ha_f)
            err[h]["model_flow"].append(np.abs(pred[ok, j] * fs - flow[target][ok]))
            err[h]["ha_flow"].append(np.abs(ha_f[ok] - flow[target][ok]))
            err[h]["last_flow"].append(np.abs(flow[idx][ok] - flow[target][ok]))
            err[h]["model_speed"].append(np.abs(pred[ok, 3 + j] * ss - speed[target][ok]))
            err[h]["ha_speed"].append(np.abs(ha_s[ok] - speed[target][ok]))
            err[h]["last_speed"].append(np.abs(speed[idx][ok] - speed[target][ok]))
            err[h]["model_speed_only"].append(np.abs(pred_speed_only[ok, 3 + j] * ss - speed[target][ok]))
    horizons = []
    for h in HORIZONS:
        m = {k: round(float(np.concatenate(v).mean()), 3) for k, v in err[h].items()}
        horizons.append(
            {
                "minutes": h * 5,
                "mae_model": m["model_speed"],
                "mae_ha": m["ha_speed"],
                "mae_last": m["last_speed"],
                "mae_model_speed_only": m["model_speed_only"],
                "mae_model_flow": m["model_flow"],
                "mae_ha_flow": m["ha_flow"],
                "mae_last_flow": m["last_flow"],
                "improvement_vs_ha": round(1 - m["model_speed"] / m["ha_speed"], 3),
                "improvement_vs_ha_flow": round(1 - m["model_flow"] / m["ha_flow"], 3),
            }
        )
    return horizons


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--series", required=True, help="CSV site,timestamp,flow,speed,… at five-minute steps")
    parser.add_argument("--out", required=True)
    parser.add_argument("--metrics", required=True)
    parser.add_argument("--train-days", type=int, default=21, help="days used for training; the rest is held out")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--version", default="0.1.0")
    args = parser.parse_args()
    setup(args.seed, args.threads)
    series = read_series(args.series)
    xs, ys = [], []
    for ts, flow, speed in series.values():
        fs, ss = scales(flow, speed)
        x, y, _ = windows(ts, flow, speed, fs, ss, 0, args.train_days * 288 - 1 - max(HORIZONS))
        xs.append(x)
        ys.append(y)
    x = torch.from_numpy(np.concatenate(xs))
    y = torch.from_numpy(np.concatenate(ys))
    mask = torch.rand(x.shape[0]) < FLOW_MASK_SHARE
    x[mask, :LOOKBACK] = 0
    x[mask, N_FEATURES - 1] = 0
    log(f"forecaster: {len(series)} sites, {x.shape[0]} training windows")
    model = Forecaster()
    optimiser = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, T_max=args.epochs)
    progress = Progress("forecaster", args.epochs)
    started = time.time()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(x.shape[0])
        total = 0.0
        for b in range(0, x.shape[0], 512):
            idx = order[b : b + 512]
            loss = (model(x[idx]) - y[idx]).abs().mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item() * idx.numel()
        sched.step()
        progress.update(epoch + 1, loss=round(total / x.shape[0], 5))
    days = int(max(len(t) for t, _, _ in series.values()) // 288)
    horizons = evaluate(model, series, args.train_days, days)
    for h in horizons:
        log(
            f"held-out {h['minutes']} min: speed MAE model {h['mae_model']} ha {h['mae_ha']} last {h['mae_last']} "
            f"({h['improvement_vs_ha'] * 100:.1f}% vs HA); flow MAE model {h['mae_model_flow']} ha {h['mae_ha_flow']} "
            f"last {h['mae_last_flow']} ({h['improvement_vs_ha_flow'] * 100:.1f}% vs HA)"
        )
    dummy = torch.zeros(1, N_FEATURES)
    torch.onnx.export(
        model.eval(), dummy, args.out, opset_version=17, input_names=["features"], output_names=["forecast"],
        dynamic_axes={"features": {0: "batch"}, "forecast": {0: "batch"}},
    )
    import onnx

    m = onnx.load(args.out)
    for key, value in {"lookback": str(LOOKBACK), "horizons_minutes": "[15, 30, 60]", "step_minutes": "5", "version": args.version}.items():
        e = m.metadata_props.add()
        e.key, e.value = key, value
    onnx.save(m, args.out)
    write_json(
        args.metrics,
        {
            "horizons": horizons,
            "sites": len(series),
            "train_days": args.train_days,
            "held_out_days": days - args.train_days,
            "train_windows": int(x.shape[0]),
            "epochs": args.epochs,
            "train_seconds": round(time.time() - started, 1),
            "seed": args.seed,
        },
    )


if __name__ == "__main__":
    main()
