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


def assign(
    candidates: list[str],
    vacancies: list[str],
    capacities,
    edges_candidate,
    edges_vacancy,
    edges_score,
    *,
    priority=None,
    min_priority: int = 0,
) -> Assignment:
    """``edges_*`` are parallel arrays of admissible pairs (indexes into ``candidates`` and
    ``vacancies``, and the pair's score). ``priority``: a boolean per candidate."""
    nc, nv = len(candidates), len(vacancies)
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
    # Only pairs that add something, into places that have room.
    useful = (es > 0) & (caps[ev] > 0)
    ec, ev, es = ec[useful], ev[useful], es[useful]
    if len(ec) == 0:
        if min_priority > 0:
            raise InfeasibleError("no admissible pairs for the priority floor")
        return Assignment()
    used_c = np.unique(ec)
    flow_units = int(min(len(used_c), caps[np.unique(ev)].sum()))
    n_prio = int(prio[used_c].sum())
    floor = int(min_priority)
    if floor > n_prio:
        raise InfeasibleError(
            f"at least {floor} priority candidates asked, {n_prio} have an admissible pair"
        )
    floor = min(floor, flow_units)

    source, hub, sink = 0, 1, 2
    c_node = 3 + np.arange(nc)
    v_node = 3 + nc + np.arange(nv)
    tails, heads, capacity, cost = [], [], [], []

    def arcs(t, h, cap, c):
        tails.append(np.asarray(t, np.int64))
        heads.append(np.asarray(h, np.int64))
        capacity.append(np.asarray(cap, np.int64))
        cost.append(np.asarray(c, np.int64))

    regular = used_c[~prio[used_c]]
    prioritised = used_c[prio[used_c]]
    arcs(
        np.full(len(regular), source),
        c_node[regular],
        np.ones(len(regular)),
        np.zeros(len(regular)),
    )
    arcs(
        np.full(len(prioritised), hub),
        c_node[prioritised],
        np.ones(len(prioritised)),
        np.zeros(len(prioritised)),
    )
    arcs([source], [hub], [max(n_prio - floor, 0)], [0])
    arcs(c_node[ec], v_node[ev], np.ones(len(ec)), -np.round(es * SCALE).astype(np.int64))
    used_v = np.unique(ev)
    arcs(v_node[used_v], np.full(len(used_v), sink), caps[used_v], np.zeros(len(used_v)))
    arcs([source], [sink], [flow_units], [0])

    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails), np.concatenate(heads), np.concatenate(capacity), np.concatenate(cost)
    )
    supplies = np.zeros(3 + nc + nv, np.int64)
    supplies[source] = flow_units - floor
    supplies[hub] = floor
    supplies[sink] = -flow_units
    solver.set_nodes_supplies(np.arange(len(supplies)), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        if floor:
            raise InfeasibleError(
                f"{floor} priority candidates cannot all be placed with these pairs and places"
            )
        raise RuntimeError(f"min-cost flow failed with status {status}")
    first_pair_arc = len(regular) + len(prioritised) + 1
    flows = solver.flows(np.arange(first_pair_arc, first_pair_arc + len(ec)))
    chosen = np.flatnonzero(flows > 0)
    pairs = [(candidates[ec[i]], vacancies[ev[i]], float(es[i])) for i in chosen]
    pairs.sort(key=lambda p: (p[1], p[0]))
    return Assignment(
        pairs=pairs,
        total_score=float(np.round(es[chosen].sum(), 6)),
        places_filled=len(chosen),
        candidates_placed=len(chosen),
        priority_placed=int(prio[ec[chosen]].sum()),
    )
