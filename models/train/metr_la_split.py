"""
Split the METR-LA sensors of models/data/metr-la/ into training and held-out sets, by a seeded rule:
sort the sensor ids by sha256("streetwise-metr-la-split:<seed>:<id>") and hold out the first third
(rounded). The forecaster never trains on a held-out sensor; every real-data number is measured on them.

  /usr/bin/python3 models/train/metr_la_split.py [--seed 1]   # rewrites models/data/metr-la/split.json
"""
import argparse
import csv
import hashlib
import os

from common import write_json

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "metr-la")
SPEEDS = os.path.join(DATA_DIR, "speed_5min_odd_sensors.csv")


def split(ids, seed):
    ranked = sorted(ids, key=lambda s: hashlib.sha256(f"streetwise-metr-la-split:{seed}:{s}".encode()).hexdigest())
    n_held = round(len(ids) / 3)
    held = set(ranked[:n_held])
    return [s for s in ids if s not in held], [s for s in ids if s in held]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with open(SPEEDS) as f:
        ids = next(csv.reader(f))[1:]
    train, held_out = split(ids, args.seed)
    write_json(
        os.path.join(DATA_DIR, "split.json"),
        {
            "rule": f'sensor ids sorted by sha256("streetwise-metr-la-split:{args.seed}:<id>"); the first third (rounded) held out',
            "seed": args.seed,
            "train": train,
            "held_out": held_out,
        },
    )


if __name__ == "__main__":
    main()
