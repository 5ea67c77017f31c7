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


def test_enumerated_words_keep_their_own_template() -> None:
    m = TemplateMiner()
    lines = [
        f"[instance: {i}] VM {state} (Lifecycle Event)" for i, state in enumerate(["Started", "Paused"] * 10)
    ]
    results = [m.add(line) for line in lines]
    finals = {m.render(r).template for r in results}
    assert finals == {
        "[instance: <*>] VM Started (Lifecycle Event)",
        "[instance: <*>] VM Paused (Lifecycle Event)",
    }
    assert len({m.render(r).template_id for r in results}) == 2
    assert len({r.cluster_id for r in results}) == 1  # one group, two renderings
    assert m.templates()[0].template == "[instance: <*>] VM <*> (Lifecycle Event)"


def test_many_distinct_words_are_a_variable() -> None:
    m = TemplateMiner()
    results = [m.add(f"Accepted connection from host{name}") for name in "abcdefghijklmnop"]
    assert {m.render(r).template for r in results} == {"Accepted connection from <*>"}


def test_value_after_user_is_never_an_enumeration() -> None:
    m = TemplateMiner()
    results = [m.add(f"session closed for user {u}") for u in ["root", "news", "root", "news"] * 5]
    assert {m.render(r).template for r in results} == {"session closed for user <*>"}


def test_key_value_tokens_generalise_to_key_wildcard() -> None:
    m = TemplateMiner()
    m.add("login failed tty=ssh rhost=alpha user=root")
    r = m.add("login failed tty=ssh rhost=beta user=admin")
    assert r.template == "login failed tty=ssh rhost=<*> user=<*>"
    again = m.add("login failed tty=ssh rhost=gamma user=bob")
    assert again.change == "none"


def test_segment_merge_keeps_brackets() -> None:
    m = TemplateMiner()
    m.add("data_thread() got no answer from [Thunderbird_A8] datasource")
    r = m.add("data_thread() got no answer from [Thunderbird_B1] datasource")
    assert r.template == "data_thread() got no answer from [<*>] datasource"


def test_templates_that_differ_only_in_variable_span_are_unified() -> None:
    m = TemplateMiner()
    a = m.add("proxy.example.com:5070 close, 0 bytes sent, 0 bytes received, lifetime 00:01")
    b = m.add("proxy.example.com:5070 close, 1024 bytes (1.00 KB) sent, 512 bytes received, lifetime 00:02")
    assert a.cluster_id != b.cluster_id
    assert m.render(a) == m.render(b)
    c = m.add("Fan speeds ( 1 2 3 4 )")
    d = m.add("Fan speeds ( 1 2 3 4 5 6 )")
    assert m.render(c).template == m.render(d).template


def test_state_keeps_enumerations(tmp_path: Path) -> None:
    m = TemplateMiner()
    for state in ["Started", "Paused"] * 5:
        m.add(f"VM {state} now")
    m2 = TemplateMiner.from_state(json.loads(json.dumps(m.to_state())))
    assert m2.add("VM Started now").template == "VM Started now"
