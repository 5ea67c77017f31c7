"""Template signals: a template never seen before, a rare template, a sudden rate spike of a template,
a noisy template (sustained high rate: chatter, a suppression candidate).

Fed (template id, change, group size, timestamp) per record by the Processor; feeds the names of the
signals that hold to detection rules (`signals: [rate_spike]` in the rules YAML). Pure and in-memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["NEW_TEMPLATE", "NOISY_TEMPLATE", "RARE_TEMPLATE", "RATE_SPIKE", "SIGNAL_NAMES", "TemplateSignals"]

NEW_TEMPLATE = "new_template"
RARE_TEMPLATE = "rare_template"
RATE_SPIKE = "rate_spike"
NOISY_TEMPLATE = "noisy_template"
SIGNAL_NAMES = frozenset({NEW_TEMPLATE, RARE_TEMPLATE, RATE_SPIKE, NOISY_TEMPLATE})


@dataclass
class _Rate:
    bucket: int
    count: int = 0
    baseline: float = 0.0  # exponentially weighted mean of earlier buckets' counts
    buckets_seen: int = 0

    def spiking(self, minimum: int, factor: float) -> bool:
        """`minimum` records in this window and `factor` x the baseline; needs an earlier window."""
        return (
            self.buckets_seen > 0 and self.count >= minimum and self.count >= factor * max(self.baseline, 1.0)
        )


class TemplateSignals:
    """Per-template counters. `warmup` records pass before new/rare say anything (everything is new
    at start-up); a spike is `spike_factor` x the template's usual count per `window_s` window, and at
    least `spike_min` records in the window. A template is noisy once its per-window baseline reaches
    `noisy_rate` (it has been that frequent for several windows) or this window holds `noisy_burst`."""

    def __init__(
        self,
        *,
        warmup: int = 1000,
        rare_count: int = 3,
        window_s: float = 60.0,
        spike_factor: float = 5.0,
        spike_min: int = 10,
        noisy_rate: float = 30.0,
        noisy_burst: int = 300,
        max_templates: int = 100_000,
    ) -> None:
        if window_s <= 0 or spike_factor <= 1 or rare_count < 1 or noisy_rate <= 0 or noisy_burst < 1:
            raise ValueError(
                "window_s and noisy_rate must be > 0, spike_factor > 1, rare_count and noisy_burst >= 1"
            )
        self.warmup = warmup
        self.rare_count = rare_count
        self.window_s = window_s
        self.spike_factor = spike_factor
        self.spike_min = spike_min
        self.noisy_rate = noisy_rate
        self.noisy_burst = noisy_burst
        self._max = max_templates
        self._seen = 0
        self._rates: dict[str, _Rate] = {}

    def observe(self, *, template_id: str, change: str, size: int, timestamp: datetime) -> frozenset[str]:
        """Record one message of `template_id` and return the signals that hold for it."""
        self._seen += 1
        out: set[str] = set()
        if self._seen > self.warmup:
            if change == "new":
                out.add(NEW_TEMPLATE)
            if size <= self.rare_count:
                out.add(RARE_TEMPLATE)
        rate = self._count(template_id, timestamp)
        if rate.spiking(self.spike_min, self.spike_factor):
            out.add(RATE_SPIKE)
        if rate.count >= self.noisy_burst or (rate.buckets_seen >= 3 and rate.baseline >= self.noisy_rate):
            out.add(NOISY_TEMPLATE)
        return frozenset(out)

    def _count(self, template_id: str, timestamp: datetime) -> _Rate:
        bucket = int(timestamp.timestamp() // self.window_s)
        rate = self._rates.get(template_id)
        if rate is None:
            if len(self._rates) >= self._max:
                self._rates.clear()
            rate = self._rates[template_id] = _Rate(bucket=bucket)
        if bucket > rate.bucket:
            # fold the finished bucket (and any empty ones in between) into the baseline
            gap = min(bucket - rate.bucket, 100)
            for k in range(gap):
                count = rate.count if k == 0 else 0
                rate.baseline = count if rate.buckets_seen == 0 else 0.7 * rate.baseline + 0.3 * count
                rate.buckets_seen += 1
            rate.bucket, rate.count = bucket, 0
        rate.count += 1
        return rate
