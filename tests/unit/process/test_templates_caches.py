"""The miner's caches (raw line, masked tuple, canonical template, masked token) never change a result.

A miner with every cache bounded to one entry (cleared on nearly every insertion) must give the same
`add` results, final renderings and state as a default one, on random streams shaped like logs: repeated
lines, numbers, enumerations, names after `user`, key=value tokens, spans of different lengths.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hephaestus.process.masking import Masker
from hephaestus.process.templates import TemplateMatch, TemplateMiner

_TEMPLATES = [
    "Connection from {ip} closed after {n} ms",
    "VM {w} on host {name}",
    "session opened for user {name} by (uid={n})",
    "Received block blk_{n} of size {n} from /{ip}",
    "{w} request {n} {w} in {n} ms",
    "sent {n} bytes ({n} KB) to {name}",
    "sent {n} bytes to {name}",
    "task_{n} state={w} core.{n} [{name}]",
    "error: {name} {name} {name} not found",
]
_WORDS = ["Started", "Stopped", "Paused", "Resumed", "GET", "POST", "true", "eth0", "cn512"]
_NAMES = ["alice", "bob", "carol", "node-7", "x86_64", "Slf4jLogger", "db01.local", "ffff3000."]
_FIELD = st.tuples(
    st.integers(0, 3000), st.sampled_from(_WORDS), st.sampled_from(_NAMES), st.integers(0, 255)
)


def _line(template: str, fields: list[tuple[int, str, str, int]]) -> str:
    out = template
    for n, word, name, octet in fields:
        ip = f"10.0.{octet}.{n % 256}"
        out = out.replace("{n}", str(n), 1).replace("{w}", word, 1).replace("{name}", name, 1)
        out = out.replace("{ip}", ip, 1)
    return out


_LINES = st.lists(
    st.builds(_line, st.sampled_from(_TEMPLATES), st.lists(_FIELD, min_size=3, max_size=3)),
    min_size=1,
    max_size=120,
)


def _uncached() -> TemplateMiner:
    return TemplateMiner(max_cache=1, masker=Masker(max_cache=1))


def _run(miner: TemplateMiner, lines: list[str]) -> tuple[list[TemplateMatch], list[tuple[str, ...]]]:
    matches = [miner.add(line) for line in lines]
    return matches, [tuple(miner.render(m)) for m in matches]


@settings(max_examples=60, deadline=None)
@given(_LINES, st.integers(1, 4))
def test_caches_never_change_results(lines: list[str], repeat: int) -> None:
    stream = lines * repeat  # repeats exercise the raw-line and masked-tuple caches
    cached, uncached = TemplateMiner(), _uncached()
    assert _run(cached, stream) == _run(uncached, stream)
    assert cached.to_state() == uncached.to_state()
    assert cached.templates() == uncached.templates()
    assert [cached.match(line) for line in lines] == [uncached.match(line) for line in lines]


@settings(max_examples=30, deadline=None)
@given(_LINES, _LINES)
def test_restored_miner_needs_no_cache(before: list[str], after: list[str]) -> None:
    miner = TemplateMiner()
    for line in before:
        miner.add(line)
    state = miner.to_state()  # holds no cache: a restored miner starts with empty ones
    restored = TemplateMiner.from_state(state)
    bounded = TemplateMiner.from_state(state, masker=Masker(max_cache=1), max_cache=1)
    assert _run(restored, after) == _run(bounded, after)
    assert restored.to_state() == bounded.to_state()
