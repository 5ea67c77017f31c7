"""Template miner: grouping, generalisation, ids, state round trip and the file store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hephaestus.process.templates import JsonFileStore, TemplateMiner, TemplateStore


def test_groups_and_generalises() -> None:
    m = TemplateMiner()
    a = m.add("Connection from alice closed")
    b = m.add("Connection from bob closed")
    c = m.add("Disk full on sda")
    assert a.change == "new"
    assert b.template_id == a.template_id
    assert b.template == "Connection from <*> closed"
    assert b.change == "updated"
    assert c.template_id != a.template_id
    assert m.add("Connection from carol closed").change == "none"
    assert m.template(a.template_id) == "Connection from <*> closed"
    assert [t.size for t in m.templates()] == [3, 1]


def test_numbers_are_masked_before_grouping() -> None:
    m = TemplateMiner()
    r1 = m.add("took 12 ms for request 7")
    r2 = m.add("took 15 ms for request 9")
    assert r1.template_id == r2.template_id
    assert r1.template == "took <*> ms for request <*>"
    assert r2.change == "none"


def test_match_does_not_change_state() -> None:
    m = TemplateMiner()
    assert m.match("hello world") is None
    m.add("hello world")
    found = m.match("hello world")
    assert found is not None
    assert found.size == 1
    assert m.templates()[0].size == 1


def test_state_round_trip_through_json_store(tmp_path: Path) -> None:
    m = TemplateMiner(similarity_threshold=0.6)
    ids = [m.add(line).template_id for line in ("a b 1", "a c 2", "x y z")]
    store: TemplateStore = JsonFileStore(tmp_path / "miner.json")
    assert store.load() is None
    store.save(m.to_state())
    state = store.load()
    assert state is not None
    json.dumps(state)  # plain JSON-able
    m2 = TemplateMiner.from_state(state)
    assert m2.similarity_threshold == 0.6
    assert [t.template_id for t in m2.templates()] == [t.template_id for t in m.templates()]
    again = m2.add("a b 3")
    assert again.template_id == ids[0]


def test_bad_state_and_threshold() -> None:
    with pytest.raises(ValueError, match="version"):
        TemplateMiner.from_state({"version": 99})
    with pytest.raises(ValueError, match="threshold"):
        TemplateMiner(similarity_threshold=0)


def test_ids_are_deterministic_across_miners() -> None:
    assert (
        TemplateMiner().add("same line here").template_id == TemplateMiner().add("same line here").template_id
    )
