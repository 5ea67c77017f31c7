"""drain3 as a whole process, the baseline `bench/parse.py --cli` times beside `hephaestus parse`.

Reads FILE, splits each line with the LogPAI header pattern (logparser's regex construction), masks
with the benchmark's tuned regexes and writes one JSON object per line with its final template.

Usage: python bench/drain3_parse.py FILE --log-format FMT [--regex RX ...] [--st 0.5] [--depth 4]
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from drain3 import TemplateMiner
from drain3.masking import MaskingInstruction
from drain3.template_miner_config import TemplateMinerConfig


def header_regex(log_format: str) -> re.Pattern[str]:
    """logparser's generate_logformat_regex: `<Name>` fields lazy, spaces match any whitespace."""
    regex = ""
    for k, part in enumerate(re.split(r"(<[^<>]+>)", log_format)):
        regex += re.sub(" +", r"\\s+", part) if k % 2 == 0 else f"(?P<{part[1:-1]}>.*?)"
    return re.compile("^" + regex + "$")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file")
    ap.add_argument("--log-format", required=True)
    ap.add_argument("--regex", nargs="*", default=[])
    ap.add_argument("--st", type=float, default=0.5)
    ap.add_argument("--depth", type=int, default=4)
    args = ap.parse_args(argv)
    cfg = TemplateMinerConfig()
    cfg.drain_depth, cfg.drain_sim_th = args.depth, args.st
    cfg.drain_max_children, cfg.drain_max_clusters, cfg.drain_extra_delimiters = 100, None, []
    cfg.masking_instructions = [MaskingInstruction(r, "*") for r in args.regex]
    cfg.mask_prefix, cfg.mask_suffix = "<", ">"
    cfg.parametrize_numeric_tokens, cfg.profiling_enabled = True, False
    miner = TemplateMiner(persistence_handler=None, config=cfg)
    add, rx = miner.add_log_message, header_regex(args.log_format)
    ids = []
    with open(args.file, encoding="utf-8", errors="surrogateescape") as handle:
        for line in handle:
            m = rx.match(line.strip())
            ids.append(add(m.group("Content") if m else line.strip())["cluster_id"])
    final = {c.cluster_id: c.get_template() for c in miner.drain.clusters}
    sys.stdout.write("".join(json.dumps({"template": final[i]}) + "\n" for i in ids))
    return 0


if __name__ == "__main__":
    sys.exit(main())
