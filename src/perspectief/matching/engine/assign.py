"""Optimal assignment with capacities: each person to at most one place, each place to at
most its number of positions, only over admissible pairs, maximising the total score —
exactly, as a min-cost flow (OR-Tools). Optionally at least a number of people from a
priority group are placed (a lower bound on their flow), still optimal under that bound.

Network: source → person (capacity 1) → place (1 per admissible pair, cost −score) →
sink (capacity = positions); a zero-cost arc source → sink lets people stay unassigned, so
the optimum never forces a bad match. Priority people hang off a hub that must pass
``min_priority`` units, which can only leave through them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

#: Scores are scaled to integers for the solver: six decimals are kept.
SCALE = 1_000_000


class InfeasibleError(ValueError):
    """The priority floor cannot be met with the admissible pairs and capacities."""


@dataclass
class Assignment:
    pairs: list[tuple[str, str, float]] = field(default_factory=list)
    total_score: float = 0.0
    places_filled: int = 0
    candidates_placed: int = 0
    priority_placed: int = 0


#: Integer arrays of the flow network and the edges (numpy int64).
Ints = npt.NDArray[np.int64]

# The network's fixed nodes; person i is node 3 + i, place j node 3 + nc + j.
SOURCE, HUB, SINK = 0, 1, 2


@dataclass
class _Edges:
    """The admissible pairs (indexes into the candidates and vacancies, and the score),
    the places' capacities and who has priority, as checked numpy arrays."""

    candidate: Ints
    vacancy: Ints
    score: npt.NDArray[np.float64]
    capacity: Ints
    priority: npt.NDArray[np.bool_]


@dataclass
class _Network:
    """The min-cost-flow network as parallel arc arrays, and where the pair arcs start."""

    tails: list[Ints] = field(default_factory=list)
    heads: list[Ints] = field(default_factory=list)
    capacity: list[Ints] = field(default_factory=list)
    cost: list[Ints] = field(default_factory=list)
    first_pair_arc: int = 0

    def arcs(
        self, t: npt.ArrayLike, h: npt.ArrayLike, cap: npt.ArrayLike, c: npt.ArrayLike
    ) -> None:
        self.tails.append(np.asarray(t, np.int64))
        self.heads.append(np.asarray(h, np.int64))
        self.capacity.append(np.asarray(cap, np.int64))
        self.cost.append(np.asarray(c, np.int64))


def assign(
    candidates: list[str],
    vacancies: list[str],
    capacities: npt.ArrayLike,
    edges_candidate: npt.ArrayLike,
    edges_vacancy: npt.ArrayLike,
    edges_score: npt.ArrayLike,
    *,
    priority: npt.ArrayLike | None = None,
    min_priority: int = 0,
) -> Assignment:
    """``edges_*`` are parallel arrays of admissible pairs (indexes into ``candidates`` and
    ``vacancies``, and the pair's score). ``priority``: a boolean per candidate."""
    nc, nv = len(candidates), len(vacancies)
    edges = _checked_edges(
        nc, nv, capacities, edges_candidate, edges_vacancy, edges_score, priority
    )
    edges = _useful(edges)
    if len(edges.candidate) == 0:
        if min_priority > 0:
            raise InfeasibleError("no admissible pairs for the priority floor")
        return Assignment()
    flow_units, n_prio, floor = _flow_and_floor(edges, min_priority)
    network = _network(nc, edges, n_prio, floor, flow_units)
    flows = _solve(network, nc, nv, len(edges.candidate), flow_units, floor)
    return _result(candidates, vacancies, edges, np.flatnonzero(flows > 0))


def _checked_edges(
    nc: int,
    nv: int,
    capacities: npt.ArrayLike,
    edges_candidate: npt.ArrayLike,
    edges_vacancy: npt.ArrayLike,
    edges_score: npt.ArrayLike,
    priority: npt.ArrayLike | None,
) -> _Edges:
    """The input as numpy arrays; refuses arrays that do not fit together, an edge to an
    unknown candidate or place, a score that is not a finite number, a negative capacity."""
    ec = np.asarray(edges_candidate, dtype=np.int64)
    ev = np.asarray(edges_vacancy, dtype=np.int64)
    es = np.asarray(edges_score, dtype=np.float64)
    caps = np.asarray(capacities, dtype=np.int64)
    if len(ec) != len(ev) or len(ec) != len(es):
        raise ValueError("edge arrays differ in length")
    if len(caps) != nv:
        raise ValueError("one capacity per vacancy")
    if len(ec) and (ec.min() < 0 or ec.max() >= nc or ev.min() < 0 or ev.max() >= nv):
        raise ValueError("an edge names an unknown candidate or vacancy")
    if not np.all(np.isfinite(es)):
        raise ValueError("scores must be finite numbers")
    if (caps < 0).any():
        raise ValueError("capacities cannot be negative")
    prio = np.zeros(nc, bool) if priority is None else np.asarray(priority, bool)
    return _Edges(ec, ev, es, caps, prio)


def _useful(edges: _Edges) -> _Edges:
    """Only pairs that add something, into places that have room (no copies when every
    pair does: the arrays can hold millions of pairs)."""
    useful = (edges.score > 0) & (edges.capacity[edges.vacancy] > 0)
    if useful.all():
        return edges
    return _Edges(
        edges.candidate[useful],
        edges.vacancy[useful],
        edges.score[useful],
        edges.capacity,
        edges.priority,
    )


def _used(index: Ints, n: int) -> Ints:
    """The distinct values of ``index`` (all in [0, n)), sorted: a count, not a sort."""
    return np.flatnonzero(np.bincount(index, minlength=n))


def _flow_and_floor(edges: _Edges, min_priority: int) -> tuple[int, int, int]:
    """(flow units, priority people with a pair, the floor): the flow is the most people
    that can be placed; a floor above the priority people with a pair is infeasible."""
    used_c = _used(edges.candidate, len(edges.priority))
    used_v = _used(edges.vacancy, len(edges.capacity))
    flow_units = int(min(len(used_c), edges.capacity[used_v].sum()))
    n_prio = int(edges.priority[used_c].sum())
    floor = int(min_priority)
    if floor > n_prio:
        raise InfeasibleError(
            f"at least {floor} priority candidates asked, {n_prio} have an admissible pair"
        )
    return flow_units, n_prio, min(floor, flow_units)


def _network(nc: int, edges: _Edges, n_prio: int, floor: int, flow_units: int) -> _Network:
    """source → person (priority people: hub → person) → place → sink, plus source → hub
    for the priority flow beyond the floor and source → sink for people left unassigned.
    The arcs are added in this order: the pair arcs follow the people's arcs and the
    source → hub arc (``first_pair_arc``)."""
    ec, ev, es, caps, prio = (
        edges.candidate,
        edges.vacancy,
        edges.score,
        edges.capacity,
        edges.priority,
    )
    nv = len(caps)
    c_node = 3 + np.arange(nc)
    v_node = 3 + nc + np.arange(nv)
    used_c = _used(ec, nc)
    regular = used_c[~prio[used_c]]
    prioritised = used_c[prio[used_c]]
    network = _Network()
    network.arcs(
        np.full(len(regular), SOURCE),
        c_node[regular],
        np.ones(len(regular)),
        np.zeros(len(regular)),
    )
    network.arcs(
        np.full(len(prioritised), HUB),
        c_node[prioritised],
        np.ones(len(prioritised)),
        np.zeros(len(prioritised)),
    )
    network.arcs([SOURCE], [HUB], [max(n_prio - floor, 0)], [0])
    # Person i is node 3 + i, place j node 3 + nc + j: offsets, not lookups.
    network.arcs(
        ec + 3, ev + (3 + nc), np.ones(len(ec), np.int64), -np.round(es * SCALE).astype(np.int64)
    )
    used_v = _used(ev, nv)
    network.arcs(v_node[used_v], np.full(len(used_v), SINK), caps[used_v], np.zeros(len(used_v)))
    network.arcs([SOURCE], [SINK], [flow_units], [0])
    network.first_pair_arc = len(regular) + len(prioritised) + 1
    return network


def _solve(network: _Network, nc: int, nv: int, n_pairs: int, flow_units: int, floor: int) -> Ints:
    """The optimal flow on each pair arc; the floor infeasible raises
    :class:`InfeasibleError`."""
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(network.tails),
        np.concatenate(network.heads),
        np.concatenate(network.capacity),
        np.concatenate(network.cost),
    )
    supplies = np.zeros(3 + nc + nv, np.int64)
    supplies[SOURCE] = flow_units - floor
    supplies[HUB] = floor
    supplies[SINK] = -flow_units
    solver.set_nodes_supplies(np.arange(len(supplies)), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        if floor:
            raise InfeasibleError(
                f"{floor} priority candidates cannot all be placed with these pairs and places"
            )
        raise RuntimeError(f"min-cost flow failed with status {status}")
    first = network.first_pair_arc
    flows: Ints = solver.flows(np.arange(first, first + n_pairs))
    return flows


def _result(candidates: list[str], vacancies: list[str], edges: _Edges, chosen: Ints) -> Assignment:
    """The chosen pairs by place, then person, with the totals."""
    ec, ev, es = edges.candidate, edges.vacancy, edges.score
    pairs = [(candidates[ec[i]], vacancies[ev[i]], float(es[i])) for i in chosen]
    pairs.sort(key=lambda p: (p[1], p[0]))
    return Assignment(
        pairs=pairs,
        total_score=float(np.round(es[chosen].sum(), 6)),
        places_filled=len(chosen),
        candidates_placed=len(chosen),
        priority_placed=int(edges.priority[ec[chosen]].sum()),
    )
