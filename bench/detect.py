"""Error-detection benchmark: precision / recall of the Processor's rules on BGL-2k alert labels.

Feeds on DATA/BGL/BGL_2k.log (first token = alert category or '-') and DATA/Thunderbird (no alerts:
false alarms only). The label token is removed before parsing so no rule can see it.

Rule sets: the defaults; the generic noise suppressions (detect.GENERIC_RULES, no dataset vocabulary),
also without `caller-errno` and with `noisy_template`; BGL site rules written after looking at all 2k labels
(in-sample, an upper bound, no generalisation claim); and suppressions LEARNED from verdicts on flagged
lines (noise_rules.NoiseFeedback), evaluated only on lines the learner never saw:
  fit1st->2nd  verdicts on the flagged lines of lines 1-1000, scored on lines 1001-2000
  fit2nd->1st  the reverse (lines 1-1000 scored; later data teaching earlier: a second fold, not a forecast)
  online       prequential: every flagged line is scored first, then its verdict is learned (test-then-train)

Usage: .venv/bin/python bench/detect.py [DATA_DIR]
Prints TP/FP/FN, precision, recall and the FP rate over non-alert lines per rule set; the last line is
`RESULT bgl_recall=.. bgl_fp_rate=.. generic_recall=.. generic_fp_rate=.. site_fp_rate=.. heldout_recall=..
heldout_fp_rate=.. online_recall=.. online_fp_rate=.. thunderbird_fp=..` (rates in %; heldout = fit1st->2nd).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from hephaestus.process.detect import DEFAULT_RULES, GENERIC_RULES, Detector, Rule, parse_rules, suppress_rule
from hephaestus.process.noise_rules import NoiseFeedback
from hephaestus.process.processor import Processed, Processor
from hephaestus.records import RawLog
from hephaestus.settings import ProcessSettings

REPO = Path(__file__).resolve().parent.parent
FORMATS = {
    "BGL": "<Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>",
    "Thunderbird": (
        "<Timestamp> <Date> <User> <Month> <Day> <Time> <Location> <Component>(\\[<PID>\\])?: <Content>"
    ),
}

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
NOISY = parse_rules([{"name": "noisy-template", "not": True, "signals": ["noisy_template"]}], source="noisy")
Hook = Callable[[int, bool, Processed, Processor], None]


def rulesets() -> dict[str, list[Rule]]:
    site_specs = [
        {"name": n, "not": True, "message": "|".join(f"(?:{p})" for p in pats)}
        for n, pats in BGL_SITE_MESSAGES.items()
    ]
    site = parse_rules(site_specs, source="bgl-site")
    no_errno = [r for r in GENERIC_RULES if r.name != "caller-errno"]
    return {
        "defaults": list(DEFAULT_RULES),
        "generic-no-caller-errno": no_errno,
        "generic": list(GENERIC_RULES),
        "generic+noisy_template": [*NOISY, *GENERIC_RULES],
        "generic+bgl-site(in-sample)": [*site, *GENERIC_RULES],
    }


def run(
    path: Path, log_format: str, rules: list[Rule], hook: Hook | None = None
) -> tuple[list[bool], list[bool]]:
    """Labels and verdicts per line; `hook(index, label, output, processor)` sees every line in order."""
    proc = Processor(settings=ProcessSettings(log_format=log_format), rules=rules, application=path.stem)
    labels: list[bool] = []
    flagged: list[bool] = []
    now = datetime.now(UTC)
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        label, _, rest = line.partition(" ")
        epoch = rest.split(" ", 1)[0]  # both logs start with a Unix time (the parser does not read it)
        when = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else now
        (out,) = proc.process(RawLog(timestamp=when, source=str(path), host="bench", message=rest))
        labels.append(label != "-")
        flagged.append(out.is_error)
        if hook is not None:
            hook(i, label != "-", out, proc)
    return labels, flagged


def score(labels: list[bool], flagged: list[bool], keep: range | None = None) -> dict[str, float]:
    idx = keep if keep is not None else range(len(labels))
    tp = sum(1 for i in idx if labels[i] and flagged[i])
    fp = sum(1 for i in idx if not labels[i] and flagged[i])
    fn = sum(1 for i in idx if labels[i] and not flagged[i])
    neg = sum(1 for i in idx if not labels[i])
    return {
        "tp": tp, "fp": fp, "fn": fn, "neg": neg,
        "prec": tp / (tp + fp) if tp + fp else float("nan"),
        "recall": tp / (tp + fn) if tp + fn else float("nan"),
        "fp_rate": 100 * fp / neg if neg else 0.0,
    }  # fmt: skip


def learned(path: Path, base: list[Rule], train: range) -> tuple[list[Rule], int]:
    """Suppressions learned from verdicts on the flagged lines of `train` (base rules only)."""
    fb = NoiseFeedback()

    def hook(i: int, label: bool, out: Processed, _: Processor) -> None:
        if i in train and out.is_error:
            fb.mark(out.template, out.structured.error.message, real=label)

    run(path, FORMATS["BGL"], base, hook)
    rule = suppress_rule(fb.templates(), name="learned")
    return ([rule, *base] if rule is not None else list(base)), len(fb.templates())


def online(path: Path, base: list[Rule]) -> tuple[list[bool], list[bool], int]:
    """Test-then-train: each flagged line is scored, then its verdict updates the suppressions."""
    fb = NoiseFeedback()

    def hook(_: int, label: bool, out: Processed, proc: Processor) -> None:
        if out.is_error and fb.mark(out.template, out.structured.error.message, real=label):
            rx = fb.pattern()
            sup = [Rule(name="learned", message=rx, negate=True)] if rx is not None else []
            proc.detector = Detector(rules=[*sup, *base])

    labels, flagged = run(path, FORMATS["BGL"], base, hook)
    return labels, flagged, len(fb.templates())


def row(system: str, name: str, s: dict[str, float], note: str = "") -> None:
    print(f"{system:<12} {name:<34} {s['tp']:>4} {s['fp']:>4} {s['fn']:>4} {s['neg']:>5} {s['prec']:>6.3f}"
          f" {s['recall']:>6.3f} {s['fp_rate']:>7.2f}%  {note}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", nargs="?", default=str(REPO.parent / "shared" / "datasets" / "loghub-2k"))
    args = ap.parse_args(argv)
    data = Path(args.data)
    head = ("system", "rules", "TP", "FP", "FN", "neg", "prec", "recall", "FP rate")
    print("{:<12} {:<34} {:>4} {:>4} {:>4} {:>5} {:>6} {:>6} {:>8}".format(*head))
    res: dict[str, dict[str, float]] = {}
    for system in ("BGL", "Thunderbird"):
        path = data / system / f"{system}_2k.log"
        for name, rules in rulesets().items():
            if system == "Thunderbird" and name.startswith("generic+"):
                continue
            res[f"{system}:{name}"] = s = score(*run(path, FORMATS[system], rules))
            row(system, name, s)
    bgl = data / "BGL" / "BGL_2k.log"
    half = len(bgl.read_text(encoding="utf-8").splitlines()) // 2
    first, second = range(half), range(half, 2 * half)
    for base_name in ("defaults", "generic"):
        base = list(DEFAULT_RULES) if base_name == "defaults" else list(GENERIC_RULES)
        for split, train, test in (("fit1st->2nd", first, second), ("fit2nd->1st", second, first)):
            rules, learned_n = learned(bgl, base, train)
            res[f"{base_name}:{split}"] = s = score(*run(bgl, FORMATS["BGL"], rules), keep=test)
            row("BGL", f"{base_name}+learned {split}", s, f"{learned_n} templates learned")
        labels, flagged, n_learned = online(bgl, base)
        res[f"{base_name}:online"] = s = score(labels, flagged)
        row("BGL", f"{base_name}+learned online", s, f"{n_learned} templates learned")
    d, g, h, o = (res[k] for k in ("BGL:defaults", "BGL:generic", "generic:fit1st->2nd", "generic:online"))
    print(
        f"RESULT bgl_recall={d['recall']:.3f} bgl_fp_rate={d['fp_rate']:.2f} generic_recall={g['recall']:.3f}"
        f" generic_fp_rate={g['fp_rate']:.2f}"
        f" site_fp_rate={res['BGL:generic+bgl-site(in-sample)']['fp_rate']:.2f}"
        f" heldout_recall={h['recall']:.3f} heldout_fp_rate={h['fp_rate']:.2f}"
        f" heldout2_recall={res['generic:fit2nd->1st']['recall']:.3f}"
        f" heldout2_fp_rate={res['generic:fit2nd->1st']['fp_rate']:.2f}"
        f" online_recall={o['recall']:.3f} online_fp_rate={o['fp_rate']:.2f}"
        f" thunderbird_fp={int(res['Thunderbird:generic']['fp'])}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
