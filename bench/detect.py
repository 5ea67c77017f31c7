"""Error-detection benchmark: precision / recall of the Processor's rules on BGL-2k alert labels.

Feeds on DATA/BGL/BGL_2k.log (first token = alert category or '-') and DATA/Thunderbird (no alerts:
false alarms only). The label token is removed before parsing so no rule can see it.

Usage: .venv/bin/python bench/detect.py [DATA_DIR]
Prints, per rule set, TP/FP/FN, precision, recall and the false-positive rate over non-alert lines.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import yaml

from hephaestus.process.detect import DEFAULT_RULES, Rule, parse_rules
from hephaestus.process.processor import Processor
from hephaestus.records import RawLog
from hephaestus.settings import ProcessSettings

REPO = Path(__file__).resolve().parent.parent
FORMATS = {
    "BGL": "<Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>",
    "Thunderbird": (
        "<Timestamp> <Date> <User> <Month> <Day> <Time> <Location> <Component>(\\[<PID>\\])?: <Content>"
    ),
}

# Generic: a register/flag dump line ("name.......<*>", "r24=<*> r25=<*>", "xyz register: <*>") reports
# state, not a failure, whatever its severity field says. Not fitted to BGL's labels.
GENERIC_SUPPRESS = r"""
rules:
  - name: state-dump
    not: true
    template: '(^[\w ]*(register|address)[\w ]*:\s*<\*>$|registers:$)'
  - name: state-dump-values
    not: true
    message: '(\.{3,}\s*(0x)?[0-9a-fA-F]+\s*$|^(\w+[=:]\s*(0x)?[0-9a-fA-F]+\s*)+$)'
"""

# Site rules an operator of this machine would write after triage. FITTED ON THIS SAMPLE: they show the
# rules engine at work, they are no generalisation claim.
BGL_SITE_MESSAGES = {
    "bgl-user-job-errors": [
        r"^ciod: Error loading .*(invalid or missing program image|program image too big)",
        r"^ciod: LOGIN chdir\(.*\) failed: No such file",
    ],
    "bgl-node-map-config": [
        r"^ciod: Error creating node map from file .*: "
        r"(Bad file descriptor|Block device required|Permission denied)",
    ],
    "bgl-service-noise": [
        r"^(idoproxydb hit ASSERT|Node card status|Can not get assembly information|NodeCard is not fully)",
        r"^(rts internal error|rts tree/torus link training|rts: bad message header)",
    ],
}


def rulesets() -> dict[str, list[Rule]]:
    generic = parse_rules(yaml.safe_load(GENERIC_SUPPRESS), source="generic")
    site_yaml = yaml.safe_dump(
        {
            "rules": [
                {"name": n, "not": True, "message": "|".join(f"(?:{p})" for p in pats)}
                for n, pats in BGL_SITE_MESSAGES.items()
            ]
        }
    )
    site = parse_rules(yaml.safe_load(site_yaml), source="bgl-site")
    return {
        "defaults": list(DEFAULT_RULES),
        "defaults+generic-dump": [*generic, *DEFAULT_RULES],
        "defaults+generic+bgl-site": [*generic, *site, *DEFAULT_RULES],
    }


def run(path: Path, log_format: str, rules: list[Rule]) -> tuple[list[bool], list[bool], Counter[str]]:
    proc = Processor(settings=ProcessSettings(log_format=log_format), rules=rules, application=path.stem)
    labels: list[bool] = []
    flagged: list[bool] = []
    fired: Counter[str] = Counter()
    now = datetime.now(UTC)
    for line in path.read_text(encoding="utf-8").splitlines():
        label, _, rest = line.partition(" ")
        (out,) = proc.process(RawLog(timestamp=now, source=str(path), host="bench", message=rest))
        labels.append(label != "-")
        flagged.append(out.is_error)
        if out.rule:
            fired[out.rule] += 1
    return labels, flagged, fired


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", nargs="?", default=str(REPO.parent / "shared" / "datasets" / "loghub-2k"))
    args = ap.parse_args(argv)
    data = Path(args.data)
    print(
        f"{'system':<12} {'rules':<28} {'TP':>4} {'FP':>4} {'FN':>4} {'prec':>6} {'recall':>6} {'FP rate':>8}"
    )
    for system in ("BGL", "Thunderbird"):
        path = data / system / f"{system}_2k.log"
        for name, rules in rulesets().items():
            labels, flagged, fired = run(path, FORMATS[system], rules)
            tp = sum(1 for a, f in zip(labels, flagged, strict=True) if a and f)
            fp = sum(1 for a, f in zip(labels, flagged, strict=True) if not a and f)
            fn = sum(1 for a, f in zip(labels, flagged, strict=True) if a and not f)
            negatives = sum(1 for a in labels if not a)
            prec = tp / (tp + fp) if tp + fp else float("nan")
            rec = tp / (tp + fn) if tp + fn else float("nan")
            rate = fp / negatives
            print(f"{system:<12} {name:<28} {tp:>4} {fp:>4} {fn:>4} {prec:>6.3f} {rec:>6.3f} {rate:>8.2%}"
                  f"   fired: {dict(fired.most_common(4))}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
