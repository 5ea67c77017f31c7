"""Validates the roles graph and plans its execution as ordered stages of concurrent roles.

Fed a RolesConfig (plus the resolved endpoints for display); feeds the composer a Plan and
`hephaestus models plan` its text/JSON. Cycles, unknown roles, contradictory or unsatisfiable
rules raise hephaestus.errors.ConfigError naming the roles involved.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from hephaestus.errors import ConfigError
from hephaestus.solve.config import Endpoint, RolesConfig

__all__ = ["Plan", "Stage", "build_plan"]


@dataclass(frozen=True)
class Stage:
    """Roles that may run at the same time; every dependency lies in an earlier stage."""

    index: int
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    stages: tuple[Stage, ...]
    needs: Mapping[str, tuple[str, ...]]  # role -> roles whose artefacts it receives
    after: Mapping[str, tuple[str, ...]]  # role -> every role that must finish first
    max_concurrency: int

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(r for s in self.stages for r in s.roles)

    def describe(self, config: RolesConfig, endpoints: Mapping[str, Endpoint | None]) -> dict[str, Any]:
        """JSON-able plan: stages, and per role its artefact, model chain and data inputs."""
        roles: dict[str, Any] = {}
        for name in self.order:
            role = config.roles[name]
            chain = []
            for mtype in (role.model, *role.fallback):
                endpoint = endpoints.get(mtype)
                chain.append({"model_type": mtype, "endpoint": endpoint.label if endpoint else None})
            live = [c["endpoint"] for c in chain if c["endpoint"]]
            roles[name] = {
                "produces": role.produces,
                "consumes": list(role.consumes),
                "temperature": role.temperature,
                "needs": list(self.needs.get(name, ())),
                "chain": chain,
                "runs_on": live[0] if live else "builtin",
            }
        return {
            "max_concurrency": self.max_concurrency,
            "stages": [list(s.roles) for s in self.stages],
            "roles": roles,
        }


def _known(config: RolesConfig, names: Iterable[str], where: str) -> None:
    for name in names:
        if name not in config.roles:
            known = ", ".join(config.roles)
            raise ConfigError(f"{where}: unknown role {name!r} (known roles: {known})")


def _find_cycle(edges: Mapping[str, set[str]], nodes: Iterable[str]) -> list[str] | None:
    """A cycle in `edges` (node -> prerequisites) as a path, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for pre in sorted(edges.get(node, ())):
            if state.get(pre) == 1:
                return [*stack[stack.index(pre) :], pre]
            if pre not in state and (found := visit(pre)) is not None:
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in nodes:
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def _ancestors(edges: Mapping[str, set[str]], node: str) -> set[str]:
    seen: set[str] = set()
    todo = list(edges.get(node, ()))
    while todo:
        cur = todo.pop()
        if cur not in seen:
            seen.add(cur)
            todo.extend(edges.get(cur, ()))
    return seen


def build_plan(config: RolesConfig) -> Plan:
    """Check the graph and layer it: topological levels, split where parallelism is not allowed."""
    rules = config.rules
    _known(config, rules.dependencies, "rules.dependencies")
    for role, deps in rules.dependencies.items():
        _known(config, deps, f"rules.dependencies.{role}")
    for i, members in enumerate(rules.parallel):
        _known(config, members, f"rules.parallel[{i}]")
    for i, chain in enumerate(rules.sequential):
        _known(config, chain, f"rules.sequential[{i}]")
    active = [n for n, r in config.roles.items() if r.enabled]
    if not active:
        raise ConfigError("no enabled role in the roles file")
    needs = {n: tuple(d for d in rules.dependencies.get(n, ())) for n in active}
    for name, deps in needs.items():
        off = [d for d in deps if not config.roles[d].enabled]
        if off:
            raise ConfigError(f"role {name!r} depends on disabled role(s): {', '.join(off)}")
    edges: dict[str, set[str]] = {n: set(needs[n]) for n in active}
    for chain in rules.sequential:
        live = [r for r in chain if r in edges]
        for before, after in itertools.pairwise(live):
            edges[after].add(before)
    cycle = _find_cycle(edges, active)
    if cycle is not None:
        raise ConfigError(f"roles graph has a cycle: {' -> '.join(reversed(cycle))}")
    for name in active:
        spec = config.roles[name]
        upstream = _ancestors({n: set(d) for n, d in needs.items()}, name)
        for kind in spec.consumes:
            if not any(config.roles[u].produces == kind for u in upstream):
                makers = [n for n in active if config.roles[n].produces == kind and n != name]
                hint = f"; roles producing it: {', '.join(makers)}" if makers else "; no role produces it"
                raise ConfigError(
                    f"role {name!r} consumes {kind!r} but none of its dependencies produces it{hint}"
                )
    allowed: set[frozenset[str]] = set()
    for declared in rules.parallel:
        live_members = [r for r in declared if r in edges]
        for a in live_members:
            for b in live_members:
                if a != b:
                    if a in _ancestors(edges, b):
                        raise ConfigError(
                            f"rules.parallel lists {a!r} with {b!r}, but {b!r} must run after {a!r}"
                        )
                    allowed.add(frozenset((a, b)))
    level: dict[str, int] = {}
    for name in _topological(edges, active):
        level[name] = 1 + max((level[p] for p in edges[name]), default=-1)
    stages: list[tuple[str, ...]] = []
    for depth in range(max(level.values()) + 1):
        pending = [n for n in active if level[n] == depth]
        while pending:
            group: list[str] = [pending.pop(0)]
            for other in list(pending):
                if all(frozenset((other, g)) in allowed for g in group):
                    group.append(other)
                    pending.remove(other)
            stages.append(tuple(group))
    return Plan(
        stages=tuple(Stage(i, roles) for i, roles in enumerate(stages)),
        needs=needs,
        after={n: tuple(sorted(_ancestors(edges, n))) for n in active},
        max_concurrency=config.defaults.max_concurrency,
    )


def _topological(edges: Mapping[str, set[str]], nodes: list[str]) -> list[str]:
    done: list[str] = []
    placed: set[str] = set()
    while len(done) < len(nodes):
        for node in nodes:
            if node not in placed and edges[node] <= placed:
                done.append(node)
                placed.add(node)
    return done
