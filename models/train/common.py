"""Shared helpers for the training scripts: seeding, threads, progress lines for train-cli."""
import json
import os
import random
import sys
import time

import numpy as np
import torch


def setup(seed: int, threads: int = 2) -> None:
    """Seed every generator and use both cores (Debian's torch starts with one thread)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)


class Progress:
    """Prints 'progress <stage> <done> <total> <json extras>' lines on stderr, at most twice a second."""

    def __init__(self, stage: str, total: int):
        self.stage = stage
        self.total = total
        self.last = 0.0
        self.started = time.time()

    def update(self, done: int, **extra) -> None:
        now = time.time()
        if done >= self.total or now - self.last >= 0.5:
            self.last = now
            extra["elapsed_s"] = round(now - self.started, 1)
            sys.stderr.write(f"progress {self.stage} {done} {self.total} {json.dumps(extra)}\n")
            sys.stderr.flush()


def log(message: str) -> None:
    sys.stderr.write(f"log {message}\n")
    sys.stderr.flush()


def write_json(path: str, value) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)
