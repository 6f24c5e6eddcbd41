"""
Traffic forecaster for Streetwise: from the last 12 five-minute intervals of flow and speed at one
detector, the detector's own speed on earlier days at the same time of day, time-of-day and day-of-week,
forecast flow and speed 15, 30 and 60 minutes ahead.

Features (34, in this order; the TypeScript side in inference/src/forecast/features.ts builds the same):
  flow[t-11..t] / flow_scale, speed[t-11..t] / speed_scale,
  sin/cos(2 pi minute_of_day / 1440), sin/cos(2 pi day_of_week / 7)   (local time of t),
  has_flow (1, or 0 for a speed-only series whose flow features are then all 0),
  speed history at t, t+3, t+6, t+12 / speed_scale: the mean speed at that time of day on all earlier
  days of the series (only values at or before t); when t has no earlier day, all four are speed[t],
  has_history (1 when t is at least one day into the series, else 0).
flow_scale and speed_scale are the 95th percentiles of the series' flow and speed (at least 1).
Outputs (6): flow at t+3, t+6, t+12 steps, then speed at t+3, t+6, t+12, in the same scaled units.
The network predicts changes from the last observed flow and speed; the addition is inside the graph.

Training data: the simulated detectors' first --train-days days (a quarter of windows with flow masked)
and, with --metr-la, the real week of the METR-LA sensors listed as "train" in split.json (speed only,
mph converted to km/h, Los Angeles time). --history-drop (0.3) of all windows are shown without their
history features, so the model also serves runners that pass only the last hour. Held out and reported: the simulated detectors' later days,
and the METR-LA "held_out" sensors, rolling-origin (scales from the past of each origin only).

  /usr/bin/python3 models/train/forecaster.py --series SERIES.csv [--metr-la DIR] --out models/forecaster.onnx --metrics M.json
"""
import argparse
import csv
import json
import math
import os
import time
from datetime import datetime, timezone

import numpy as np
import torch
import torch.nn as nn

from common import Progress, log, setup, write_json

LOOKBACK = 12
HORIZONS = (3, 6, 12)  # five-minute steps: 15, 30, 60 minutes
STEPS_PER_DAY = 288
HK_OFFSET_H = 8
LA_OFFSET_H = -8  # Los Angeles in the METR-LA week (1-7 March 2012, before DST)
MPH_TO_KMH = 1.609344
N_HISTORY = len(HORIZONS) + 2  # speed history at t and each horizon, has_history
N_FEATURES = 2 * LOOKBACK + 5 + N_HISTORY
FLOW_MASK_SHARE = 0.25
HISTORY = 2 * LOOKBACK + 5  # index of the first history feature


def read_series(path):
    """Simulated detectors: site -> (epoch seconds [n], flow [n], speed [n]) sorted by time."""
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


def read_metr_la(data_dir, limit=0):
    """METR-LA: (train, held_out), each sensor id -> (epoch seconds UTC [n], speed km/h [n]); limit > 0
    keeps the first `limit` sensors of each list (smoke runs)."""
    with open(os.path.join(data_dir, "split.json")) as f:
        split = json.load(f)
    with open(os.path.join(data_dir, "speed_5min_odd_sensors.csv")) as f:
        rows = list(csv.reader(f))
    ids = rows[0][1:]
    local = np.array([datetime.fromisoformat(r[0]).replace(tzinfo=timezone.utc).timestamp() for r in rows[1:]])
    ts = local - LA_OFFSET_H * 3600
    speeds = np.array([[float(v) for v in r[1:]] for r in rows[1:]]) * MPH_TO_KMH
    column = {sensor: speeds[:, k] for k, sensor in enumerate(ids)}
    pick = lambda ids: ids[:limit] if limit > 0 else ids
    return ({s: (ts, column[s]) for s in pick(split["train"])}, {s: (ts, column[s]) for s in pick(split["held_out"])})


def scales(flow, speed):
    return max(1.0, float(np.percentile(flow, 95))), max(1.0, float(np.percentile(speed, 95)))


def past_scales(values, idx):
    """The 95th percentile of values[0..i] for every origin i (at least 1): what a forecaster at i knows."""
    return np.array([max(1.0, float(np.percentile(values[: i + 1], 95))) for i in idx])


def time_features(epoch_s, utc_offset_h):
    local = epoch_s + utc_offset_h * 3600
    minute = (local % 86400) / 60.0
    day = np.floor(local / 86400)
    dow = (day + 4) % 7  # 1970-01-01 was a Thursday; 0 = Sunday
    return np.stack(
        [np.sin(2 * math.pi * minute / 1440), np.cos(2 * math.pi * minute / 1440), np.sin(2 * math.pi * dow / 7), np.cos(2 * math.pi * dow / 7)], 1
    )


def history_features(speed, idx):
    """[len(idx), N_HISTORY] unscaled: mean speed at t+h - k days (k >= 1, index >= 0) for h in 0 and HORIZONS, has_history."""
    out = np.empty((len(idx), N_HISTORY))
    has = idx >= STEPS_PER_DAY
    for c, h in enumerate((0,) + HORIZONS):
        total = np.zeros(len(idx))
        count = np.zeros(len(idx))
        for k in range(1, (int(idx.max()) + h) // STEPS_PER_DAY + 1 if len(idx) else 1):
            j = idx + h - k * STEPS_PER_DAY
            ok = j >= 0
            total[ok] += speed[j[ok]]
            count[ok] += 1
        out[:, c] = np.where(has, total / np.maximum(count, 1), speed[idx])
    out[:, -1] = has
    return out


def windows(ts, flow, speed, fs, ss, first, last, utc_offset_h):
    """Samples whose last observed step t is in [first, last] (indices), with all targets present.
    flow None = a speed-only series; fs and ss are numbers or per-sample arrays."""
    idx = np.arange(max(first, LOOKBACK - 1), min(last, len(ts) - 1 - max(HORIZONS)) + 1)
    if idx.size == 0:
        return np.zeros((0, N_FEATURES), np.float32), np.zeros((0, 6), np.float32), idx
    fs = np.broadcast_to(np.asarray(fs, dtype=np.float64), idx.shape)[:, None]
    ss = np.broadcast_to(np.asarray(ss, dtype=np.float64), idx.shape)[:, None]
    lags = idx[:, None] - np.arange(LOOKBACK - 1, -1, -1)[None]
    ahead = idx[:, None] + np.array(HORIZONS)[None]
    history = history_features(speed, idx)
    history[:, :-1] /= ss
    has_flow = flow is not None
    x = np.concatenate(
        [
            flow[lags] / fs if has_flow else np.zeros((len(idx), LOOKBACK)),
            speed[lags] / ss,
            time_features(ts[idx], utc_offset_h),
            np.full((len(idx), 1), 1.0 if has_flow else 0.0),
            history,
        ],
        1,
    )
    y = np.concatenate([flow[ahead] / fs if has_flow else np.zeros((len(idx), 3)), speed[ahead] / ss], 1)
    return x.astype(np.float32), y.astype(np.float32), idx


def historical_average(values, target_idx):
    """Mean of the values at the same time of day on all earlier days in the series (NaN if none)."""
    out = np.full(len(target_idx), np.nan)
    for k, i in enumerate(target_idx):
        earlier = np.arange(i - STEPS_PER_DAY, -1, -STEPS_PER_DAY)
        if earlier.size:
            out[k] = values[earlier].mean()
    return out


class Forecaster(nn.Module):
    def __init__(self, hidden=128):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(N_FEATURES, hidden), nn.SiLU(), nn.Linear(hidden, hidden), nn.SiLU(), nn.Linear(hidden, 6))

    def forward(self, features):
        last_flow = features[:, LOOKBACK - 1 : LOOKBACK]
        last_speed = features[:, 2 * LOOKBACK - 1 : 2 * LOOKBACK]
        base = torch.cat([last_flow.expand(-1, 3), last_speed.expand(-1, 3)], 1)
        return base + self.net(features)


def drop_history(x, share):
    """Make a share of the windows look like a series of less than a day (as runners that pass only the
    last hour send them): history = last speed, has_history = 0."""
    mask = np.random.rand(len(x)) < share
    x[mask, HISTORY : N_FEATURES - 1] = x[mask, 2 * LOOKBACK - 1 : 2 * LOOKBACK]
    x[mask, N_FEATURES - 1] = 0
    return x


def skill(model, ha, last):
    """How far the model's MAE is below the better of the two baselines (0.1 = 10% lower)."""
    return round(1 - model / min(ha, last), 3)


def evaluate_real(model, sensors):
    """Rolling-origin over whole speed-only series, as models/src/forecast/evaluate.ts does: origins from
    one day in (historical average needs a day) to the last with a 60-minute target; scales from the past."""
    sums = {h: np.zeros(4) for h in HORIZONS}
    origins = 0
    per_sensor = {}
    model.eval()
    for sensor, (ts, speed) in sensors.items():
        idx = np.arange(STEPS_PER_DAY, len(ts) - max(HORIZONS))
        ss = past_scales(speed, idx)
        x, _, idx2 = windows(ts, None, speed, 1.0, ss, idx[0], idx[-1], LA_OFFSET_H)
        assert np.array_equal(idx, idx2)
        with torch.no_grad():
            pred = model(torch.from_numpy(x)).numpy()
            pred_last_hour = model(torch.from_numpy(drop_history(x.copy(), 1.0))).numpy()
        row = {}
        for j, h in enumerate(HORIZONS):
            target = idx + h
            e = np.array([
                np.abs(pred[:, 3 + j] * ss - speed[target]).sum(),
                np.abs(historical_average(speed, target) - speed[target]).sum(),
                np.abs(speed[idx] - speed[target]).sum(),
                np.abs(pred_last_hour[:, 3 + j] * ss - speed[target]).sum(),
            ])
            sums[h] += e
            row[h * 5] = [round(float(v / len(idx)), 3) for v in e[:3]]
        per_sensor[sensor] = row
        origins += len(idx)
    horizons = []
    for h in HORIZONS:
        m, ha, last, m_hour = (round(float(v / origins), 3) for v in sums[h])
        horizons.append(
            {
                "minutes": h * 5,
                "mae_model": m,
                "mae_ha": ha,
                "mae_last": last,
                "skill": skill(m, ha, last),
                # The same origins with only the last hour given (no history features), as the edge agent calls it.
                "mae_model_last_hour_only": m_hour,
                "skill_last_hour_only": skill(m_hour, ha, last),
            }
        )
    beats = {
        str(h * 5): sum(1 for row in per_sensor.values() if row[h * 5][0] < min(row[h * 5][1:])) for h in HORIZONS
    }
    return {"sensors": len(sensors), "origins": origins, "horizons": horizons, "sensors_where_model_beats_better_baseline": beats}, per_sensor


def evaluate_simulated(model, series, first_day, last_day):
    """MAE in real units (vehicles per 5 min, km/h) for model, historical average and last value, on the
    simulated detectors' held-out days (scales from the past of each origin)."""
    err = {h: {k: [] for k in ("model_flow", "ha_flow", "last_flow", "model_speed", "ha_speed", "last_speed", "model_speed_only")} for h in HORIZONS}
    model.eval()
    for ts, flow, speed in series.values():
        idx = np.arange(max(first_day * STEPS_PER_DAY, LOOKBACK - 1), min(last_day * STEPS_PER_DAY - 1, len(ts) - 1 - max(HORIZONS)) + 1)
        if len(idx) == 0:
            continue
        fs, ss = past_scales(flow, idx), past_scales(speed, idx)
        x, _, _ = windows(ts, flow, speed, fs, ss, idx[0], idx[-1], HK_OFFSET_H)
        xs, _, _ = windows(ts, None, speed, 1.0, ss, idx[0], idx[-1], HK_OFFSET_H)
        with torch.no_grad():
            pred = model(torch.from_numpy(x)).numpy()
            pred_speed_only = model(torch.from_numpy(xs)).numpy()
        for j, h in enumerate(HORIZONS):
            target = idx + h
            e = err[h]
            e["model_flow"].append(np.abs(pred[:, j] * fs - flow[target]))
            e["ha_flow"].append(np.abs(historical_average(flow, target) - flow[target]))
            e["last_flow"].append(np.abs(flow[idx] - flow[target]))
            e["model_speed"].append(np.abs(pred[:, 3 + j] * ss - speed[target]))
            e["ha_speed"].append(np.abs(historical_average(speed, target) - speed[target]))
            e["last_speed"].append(np.abs(speed[idx] - speed[target]))
            e["model_speed_only"].append(np.abs(pred_speed_only[:, 3 + j] * ss - speed[target]))
    horizons = []
    for h in HORIZONS:
        m = {k: round(float(np.concatenate(v).mean()), 3) for k, v in err[h].items()}
        horizons.append(
            {
                "minutes": h * 5,
                "mae_model": m["model_speed"],
                "mae_ha": m["ha_speed"],
                "mae_last": m["last_speed"],
                "skill": skill(m["model_speed"], m["ha_speed"], m["last_speed"]),
                "mae_model_speed_only": m["model_speed_only"],
                "mae_model_flow": m["model_flow"],
                "mae_ha_flow": m["ha_flow"],
                "mae_last_flow": m["last_flow"],
                "improvement_vs_ha": round(1 - m["model_speed"] / m["ha_speed"], 3),
                "improvement_vs_ha_flow": round(1 - m["model_flow"] / m["ha_flow"], 3),
            }
        )
    return horizons


def training_set(series, train_days, real_train, history_drop_share):
    xs, ys = [], []
    for ts, flow, speed in series.values():
        fs, ss = scales(flow, speed)
        x, y, _ = windows(ts, flow, speed, fs, ss, 0, train_days * STEPS_PER_DAY - 1 - max(HORIZONS), HK_OFFSET_H)
        # A share of the simulated windows as speed-only series, so those are forecast too.
        mask = np.random.rand(len(x)) < FLOW_MASK_SHARE
        x[mask, :LOOKBACK] = 0
        x[mask, 2 * LOOKBACK + 4] = 0
        y[mask, :3] = x[mask, LOOKBACK - 1 : LOOKBACK]  # no flow to learn: keep the loss at 0 there
        xs.append(x)
        ys.append(y)
    n_simulated = sum(len(x) for x in xs)
    for ts, speed in real_train.values():
        x, y, _ = windows(ts, None, speed, 1.0, scales(speed, speed)[1], 0, len(ts), LA_OFFSET_H)
        xs.append(x)
        ys.append(y)
    x = torch.from_numpy(drop_history(np.concatenate(xs), history_drop_share))
    y = torch.from_numpy(np.concatenate(ys))
    return x, y, n_simulated


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--series", required=True, help="CSV site,timestamp,flow,speed,… at five-minute steps (simulated)")
    parser.add_argument("--metr-la", help="directory with speed_5min_odd_sensors.csv and split.json (real; optional)")
    parser.add_argument("--metr-la-sensors", type=int, default=0, help="use only the first N train and held-out sensors (0 = all)")
    parser.add_argument("--per-sensor", help="write each METR-LA held-out sensor's MAEs here (optional)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--metrics", required=True)
    parser.add_argument("--train-days", type=int, default=21, help="simulated days used for training; the rest is held out")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--history-drop", type=float, default=0.3, help="share of training windows shown without their history features (as runners passing only the last hour send them)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--version", default="0.2.0")
    args = parser.parse_args()
    setup(args.seed, args.threads)
    series = read_series(args.series)
    real_train, real_held_out = read_metr_la(args.metr_la, args.metr_la_sensors) if args.metr_la else ({}, {})
    x, y, n_simulated = training_set(series, args.train_days, real_train, args.history_drop)
    log(f"forecaster: {len(series)} simulated sites, {len(real_train)} real sensors; {x.shape[0]} training windows ({x.shape[0] - n_simulated} real)")
    model = Forecaster()
    optimiser = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, T_max=args.epochs)
    progress = Progress("forecaster", args.epochs)
    started = time.time()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(x.shape[0])
        total = 0.0
        for b in range(0, x.shape[0], 256):
            idx = order[b : b + 256]
            loss = (model(x[idx]) - y[idx]).abs().mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item() * idx.numel()
        sched.step()
        progress.update(epoch + 1, loss=round(total / x.shape[0], 5))
    train_seconds = round(time.time() - started, 1)
    days = int(max(len(t) for t, _, _ in series.values()) // STEPS_PER_DAY)
    horizons = evaluate_simulated(model, series, args.train_days, days)
    for h in horizons:
        log(
            f"simulated held-out {h['minutes']} min: speed MAE model {h['mae_model']} ha {h['mae_ha']} last {h['mae_last']} "
            f"(skill {h['skill'] * 100:.1f}%); flow MAE model {h['mae_model_flow']} ha {h['mae_ha_flow']} "
            f"last {h['mae_last_flow']} ({h['improvement_vs_ha_flow'] * 100:.1f}% vs HA)"
        )
    real, per_sensor = evaluate_real(model, real_held_out) if real_held_out else (None, None)
    if per_sensor and args.per_sensor:
        write_json(args.per_sensor, {"columns": ["mae_model", "mae_ha", "mae_last"], "units": "km/h", "sensors": per_sensor})
    if real:
        for h in real["horizons"]:
            log(f"METR-LA held-out {h['minutes']} min: speed MAE model {h['mae_model']} ha {h['mae_ha']} last {h['mae_last']} (skill {h['skill'] * 100:.1f}%)")
    dummy = torch.zeros(1, N_FEATURES)
    torch.onnx.export(
        model.eval(), dummy, args.out, opset_version=17, input_names=["features"], output_names=["forecast"],
        dynamic_axes={"features": {0: "batch"}, "forecast": {0: "batch"}},
    )
    import onnx

    m = onnx.load(args.out)
    for key, value in {"lookback": str(LOOKBACK), "horizons_minutes": "[15, 30, 60]", "step_minutes": "5", "features": str(N_FEATURES), "version": args.version}.items():
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
            **({"metr_la_held_out": real, "metr_la_train_sensors": len(real_train)} if real else {}),
            "train_windows": int(x.shape[0]),
            "train_windows_real": int(x.shape[0] - n_simulated),
            "epochs": args.epochs,
            "train_seconds": train_seconds,
            "seed": args.seed,
        },
    )


if __name__ == "__main__":
    main()
