"""Per-node counts kept exact by adding and removing each case's contribution.

A case's *contribution* is a pure function of the case (its open state, SLA
state, urgency, supervision flag, and the hours it was reported and closed in);
a node's aggregate is the sum of the contributions of the cases in its subtree.
So an event never needs a rescan: it subtracts the case's old contribution and
adds the new one along the node's lineage, O(levels). The hub builds snapshots
with it and the client replica keeps them current with the same code, so both
sides agree by construction (see tests/domain/test_aggregates.py).

Hourly counts are windowed: only the last ``WINDOW_HOURS`` hours are kept, which
covers today and yesterday in China Standard Time. Hour keys are
``int(ts // 3600)``; CST is a whole number of hours ahead of UTC, so hours align
with CST days.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.aggregate_parts import (
    _ALL_PARTS,
    _FIELDS,
    _GETTERS,
    _HOURLY,
    _PARENT_LENGTH,
    _PARTS,
    _ZEROS,
    METRICS,
    WINDOW_HOURS,
    AggregateError,
    Contribution,
    NodeAggregate,
    _count,
    _merge,
    _shared_copy,
    contribution,
    contribution_of,
    cst_day_start_hour,
    day_series,
    hourly_series,
    shared_copies,
    today,
)
from domain.hierarchy import CodeError, lineage
from domain.model import Case


class Aggregates:
    """Node aggregates for one scope (a node code; "" is everything).

    Only nodes at or below ``scope`` are kept; cases outside it are ignored, so
    one instance can be fed the whole stream. ``get`` and ``to_list`` return copies.
    """

    def __init__(self, scope: str = "") -> None:
        self.scope = scope
        self._nodes: dict[str, NodeAggregate] = {}
        self._chains: dict[str, tuple[str, ...]] = {}
        self._horizon: int | None = None  # hours below this are no longer kept

    # ---- updates ---------------------------------------------------------------------
    def apply(self, old: Case | None, new: Case) -> None:
        """Replace ``old``'s contribution (None for a new case) with ``new``'s.

        The client's hot path (once per feed event): the same counts as ``_check_counted`` then
        ``_add(old, -1)`` and ``_add(new, +1)`` (tests/backend_client/test_fast_paths.py compares
        them), but one walk up the chain with the counting inlined, and only the parts that differ.
        """
        if old is not None and old.id != new.id:
            raise AggregateError(f"apply(old, new) got two different cases: {old.id!r} and {new.id!r}")
        c_new = contribution(new)
        chains = self._chains
        chain_new = chains.get(new.node)
        if chain_new is None:
            chain_new = self._chain(new.node)
        if old is None:
            if c_new[0] is not None:
                self._add_open(chain_new, c_new)
            else:
                self._walk(chain_new, (), self._ops(c_new, _ALL_PARTS))
            return
        c_old = contribution(old)
        if c_old == c_new and old.node == new.node:
            return
        chain_old = chains.get(old.node)
        if chain_old is None:
            chain_old = self._chain(old.node)
        if chain_old != chain_new:
            self._check_counted(old, chain_old, c_old, _ALL_PARTS)
            self._walk(chain_old, self._ops(c_old, _ALL_PARTS), ())
            self._walk(chain_new, (), self._ops(c_new, _ALL_PARTS))
            return
        if not chain_old:
            return  # outside the scope: nothing counted
        horizon = self._horizon
        leaf = self._nodes.get(chain_old[-1])
        minus: list[tuple[Any, Any]] = []
        plus: list[tuple[Any, Any]] = []
        for i, getter, hourly in _PARTS:
            a, b = c_old[i], c_new[i]
            if a == b:
                continue
            if a is not None and a is not False:
                if hourly:
                    if horizon is None or a >= horizon:
                        minus.append((getter, a))
                else:  # refuse before changing anything when ``old`` is not counted (as _check_counted)
                    have = 0 if leaf is None else (leaf.supervised if getter is None else getter(leaf).get(a, 0))
                    if have < 1:
                        self._check_counted(old, chain_old, c_old, (i,))
                    minus.append((getter, a))
            if b is not None and b is not False and (not hourly or horizon is None or b >= horizon):
                plus.append((getter, b))
        if len(minus) == 1 and len(plus) == 1 and minus[0][0] is plus[0][0] is not None:
            self._move(chain_old, minus[0][0], minus[0][1], plus[0][1])  # e.g. only the state changed
        else:
            self._walk(chain_old, minus, plus)

    def _add_open(self, chain: tuple[str, ...], c: Contribution) -> None:
        """``_walk(chain, (), _ops(c, _ALL_PARTS))`` for a new open case (state, SLA, urgency, supervision
        and the hour reported count; nothing closed), without the per-part loop."""
        state, sla, urgency, supervised, hour = c[0], c[1], c[2], c[3], c[4]
        horizon = self._horizon
        if horizon is not None and hour < horizon:
            hour = None
        nodes = self._nodes
        for code in chain:
            agg = nodes.get(code)
            if agg is None:
                agg = nodes[code] = NodeAggregate(code)
            counts = agg.by_state
            n = counts.get(state, 0) + 1
            if n > 0:
                counts[state] = n
            else:
                counts.pop(state, None)
            counts = agg.by_sla
            n = counts.get(sla, 0) + 1
            if n > 0:
                counts[sla] = n
            else:
                counts.pop(sla, None)
            counts = agg.by_urgency
            n = counts.get(urgency, 0) + 1
            if n > 0:
                counts[urgency] = n
            else:
                counts.pop(urgency, None)
            if supervised:
                agg.supervised += 1
            if hour is not None:
                hours = agg.hourly_reported
                n = hours.get(hour, 0) + 1
                if n > 0:
                    hours[hour] = n
                else:
                    hours.pop(hour, None)

    def _move(self, chain: tuple[str, ...], getter: Any, old_key: Any, new_key: Any) -> None:
        """``_walk(chain, [(getter, old_key)], [(getter, new_key)])``: one count moves within one field."""
        nodes = self._nodes
        for code in chain:
            agg = nodes.get(code)
            if agg is None:
                agg = nodes[code] = NodeAggregate(code)
                counts = getter(agg)
            else:
                counts = getter(agg)
                n = counts.get(old_key, 0) - 1
                if n > 0:
                    counts[old_key] = n
                else:
                    counts.pop(old_key, None)
                    if agg.is_empty():  # dropped, then made anew for the new key (as _walk does)
                        del nodes[code]
                        agg = nodes[code] = NodeAggregate(code)
                        counts = getter(agg)
            n = counts.get(new_key, 0) + 1
            if n > 0:
                counts[new_key] = n
            else:
                counts.pop(new_key, None)

    def _walk(self, chain: tuple[str, ...], minus: Any, plus: Any) -> None:
        """Per node of ``chain``: take one from each (field, key) of ``minus``, then add one to each of ``plus``.

        The same as ``_count(agg, minus, -1)`` (a node left empty is dropped) then ``_count(agg, plus, +1)``;
        emptiness is looked at only when a count reached zero.
        """
        nodes = self._nodes
        for code in chain:
            agg = nodes.get(code)
            if agg is not None and minus:
                emptied = False
                for getter, key in minus:
                    if getter is None:
                        agg.supervised -= 1
                        emptied = emptied or agg.supervised == 0
                        continue
                    counts = getter(agg)
                    n = counts.get(key, 0) - 1
                    if n > 0:
                        counts[key] = n
                    else:  # hourly counts clamp at zero: a snapshot may have pruned an hour we keep
                        counts.pop(key, None)
                        emptied = True
                if emptied and agg.is_empty():
                    del nodes[code]
                    agg = None
            if plus:
                if agg is None:
                    agg = nodes[code] = NodeAggregate(code)
                for getter, key in plus:
                    if getter is None:
                        agg.supervised += 1
                        continue
                    counts = getter(agg)
                    n = counts.get(key, 0) + 1
                    if n > 0:
                        counts[key] = n
                    else:
                        counts.pop(key, None)

    def add_all(self, items: Iterable[tuple[str, Contribution]]) -> None:
        """Add new cases given as (node, contribution): the same sums as ``apply(None, case)`` per case.

        Each case is counted at its own node only, then every node's sums are added into its
        parent, deepest level first: one merge per node instead of one update per case and
        level. Hours before the kept window are skipped (call ``prune`` first to set it).
        """
        horizon = self._horizon if self._horizon is not None else -(1 << 62)
        own: dict[str, NodeAggregate] = {}
        chain_of = self._chain
        for node, c in items:
            agg = own.get(node)
            if agg is None:
                if not chain_of(node):
                    continue  # outside the scope
                agg = own[node] = NodeAggregate(node, {}, {}, {}, 0, {}, {}, {})
            if c[0] is not None:
                d = agg.by_state
                d[c[0]] = d.get(c[0], 0) + 1
                d = agg.by_sla
                d[c[1]] = d.get(c[1], 0) + 1
                d = agg.by_urgency
                d[c[2]] = d.get(c[2], 0) + 1
                if c[3]:
                    agg.supervised += 1
            h = c[4]
            if h >= horizon:
                hours = agg.hourly_reported
                hours[h] = hours.get(h, 0) + 1
            h = c[5]
            if h is not None and h >= horizon:
                hours = agg.hourly_closed
                hours[h] = hours.get(h, 0) + 1
                if c[6] is not None:
                    hours = agg.hourly_closed_on_time
                    hours[h] = hours.get(h, 0) + 1
        by_depth: dict[int, list[str]] = {}
        for code in own:
            by_depth.setdefault(len(code), []).append(code)
        while by_depth:
            depth = max(by_depth)
            for code in by_depth.pop(depth):
                chain = chain_of(code)
                if len(chain) < 2:
                    continue
                parent = chain[-2]
                into = own.get(parent)
                if into is None:
                    into = own[parent] = NodeAggregate(parent, {}, {}, {}, 0, {}, {}, {})
                    by_depth.setdefault(len(parent), []).append(parent)
                _merge(into, own[code])
        for code, agg in own.items():
            if agg.is_empty():
                continue
            have = self._nodes.get(code)
            if have is None:
                self._nodes[code] = agg
            else:
                _merge(have, agg)

    def prune(self, now: float) -> None:
        """Drop hourly counts older than the window ending at ``now``'s hour. Cheap when nothing moved."""
        horizon = int(now // 3600) - (WINDOW_HOURS - 1)
        if self._horizon is not None and horizon <= self._horizon:
            return
        self._horizon = horizon
        for code in list(self._nodes):
            self._drop_old_hours(code)

    def load(self, aggregates: Iterable[NodeAggregate], *, copy: bool = True) -> None:
        """Replace everything with the aggregates of a snapshot (all chunks together).

        Kept as copies (as ``shared_copies`` makes them); ``copy=False`` keeps the items themselves, for
        a caller that made them with ``shared_copies`` and holds them nowhere else.
        """
        nodes: dict[str, NodeAggregate] = {}
        keys: dict[Any, Any] = {}  # one int object per hour, across every node and count
        for agg in aggregates:
            if not isinstance(agg, NodeAggregate):
                raise AggregateError(f"load() takes NodeAggregate items, got {type(agg).__name__}")
            if not agg.node.startswith(self.scope) or not self._chain(agg.node):
                raise AggregateError(f"aggregate for node {agg.node!r} lies outside scope {self.scope!r}")
            if agg.node in nodes:
                raise AggregateError(f"aggregate for node {agg.node!r} appears twice")
            nodes[agg.node] = _shared_copy(agg, keys) if copy else agg
        self._nodes = nodes
        if self._horizon is not None:
            for code in list(nodes):
                self._drop_old_hours(code)

    # ---- reads -------------------------------------------------------------------------
    def get(self, node: str) -> NodeAggregate:
        agg = self._nodes.get(node)
        return agg.copy() if agg is not None else NodeAggregate(node)

    def to_list(self, under: str = "") -> list[NodeAggregate]:
        """Copies of the non-empty aggregates at or below ``under``, by node code."""
        return [self._nodes[c].copy() for c in sorted(self._nodes) if c.startswith(under)]

    def __len__(self) -> int:
        return len(self._nodes)

    def __contains__(self, node: object) -> bool:
        return node in self._nodes

    # ---- internals -----------------------------------------------------------------------
    def _chain(self, node: str) -> tuple[str, ...]:
        chain = self._chains.get(node)
        if chain is None:
            chain = self._chain_from_parent(node)
            if chain is None and self._parent_unknown(node):
                # cases come in any order (the hub's cache load): the parent's chain first, then this one's
                # from it; a bad parent is left to ``lineage`` below, so the error names ``node``
                try:
                    self._chain(node[:_PARENT_LENGTH[len(node)]])
                except CodeError:
                    pass
                else:
                    chain = self._chain_from_parent(node)
            if chain is None:
                if node.startswith(self.scope):
                    n = len(self.scope)
                    chain = tuple(c for c in lineage(node) if len(c) >= n)
                else:
                    lineage(node)  # still reject a malformed code
                    chain = ()
            self._chains[node] = chain
        return chain

    def _parent_unknown(self, node: str) -> bool:
        """Whether ``node``'s parent lies at or below the scope's level and has no chain yet."""
        parent_len = _PARENT_LENGTH.get(len(node))
        return parent_len is not None and parent_len >= len(self.scope) and node[:parent_len] not in self._chains

    def _chain_from_parent(self, node: str) -> tuple[str, ...] | None:
        """The parent's chain and ``node``, when the parent's is known within scope and ``node``'s own
        digits are a valid part (what ``lineage`` checks of it beyond the parent's); else None.

        A snapshot's aggregates come by code, parents first: 16k nodes cost a third of the time."""
        parent_len = _PARENT_LENGTH.get(len(node))
        if parent_len is None or parent_len < len(self.scope):
            return None
        parent_chain = self._chains.get(node[:parent_len])
        if not parent_chain or not node.isascii() or not node.isdigit() \
                or node.endswith(_ZEROS[len(node) - parent_len]):
            return None
        return (*parent_chain, node)

    def _check_counted(self, old: Case, chain: tuple[str, ...], c_old: Contribution, parts: Iterable[int]) -> None:
        """Refuse before changing anything when ``old`` is not counted (ancestors count ≥ the leaf)."""
        if not chain:
            return
        agg = self._nodes.get(chain[-1])
        for i in parts:
            key = c_old[i]
            if i in _HOURLY or key is None or key is False:
                continue
            if agg is None:
                have = 0
            elif i == 3:
                have = agg.supervised
            else:
                have = getattr(agg, _FIELDS[i]).get(key, 0)
            if have < 1:
                raise AggregateError(
                    f"case {old.id}: its previous version ({_FIELDS[i]}={key!r}) is not counted at node "
                    f"{chain[-1]}; apply(old, new) needs the version that was last applied"
                )

    def _ops(self, contrib: Contribution, parts: Iterable[int]) -> list[tuple[Any, Any]]:
        """(field getter or None for supervised, key) of the parts that count (kept hours only)."""
        horizon = self._horizon
        ops = []  # the same for every node of the chain
        for i in parts:
            key = contrib[i]
            if key is None or key is False:
                continue
            if i in _HOURLY and horizon is not None and key < horizon:
                continue
            ops.append((_GETTERS[i], key))
        return ops

    def _add(self, chain: tuple[str, ...], contrib: Contribution, parts: Iterable[int], sign: int) -> None:
        ops = self._ops(contrib, parts)
        if not ops:
            return
        nodes = self._nodes
        for code in chain:
            agg = nodes.get(code)
            if agg is None:
                if sign < 0:
                    continue  # only hourly parts can be missing here (pruned); nothing to take
                agg = nodes[code] = NodeAggregate(code)
            _count(agg, ops, sign)
            if sign < 0 and agg.is_empty():
                del nodes[code]

    def _drop_old_hours(self, code: str) -> None:
        agg = self._nodes[code]
        horizon = self._horizon
        assert horizon is not None
        for name in ("hourly_reported", "hourly_closed", "hourly_closed_on_time"):
            counts = getattr(agg, name)
            if counts and min(counts) < horizon:  # a new dict: one emptied by ``del`` keeps its table
                setattr(agg, name, {h: n for h, n in counts.items() if h >= horizon})
        if agg.is_empty():
            del self._nodes[code]


def recompute(cases: Iterable[Case], scope: str = "", now: float | None = None) -> Aggregates:
    """Aggregates from scratch (what a snapshot or a test compares against); pruned when ``now`` is given."""
    aggs = Aggregates(scope)
    for case in cases:
        aggs.apply(None, case)
    if now is not None:
        aggs.prune(now)
    return aggs


# ---- derived views -----------------------------------------------------------------------


#: What callers import from here (the parts live in ``domain.aggregate_parts``).
__all__ = [
    "AggregateError", "Aggregates", "Contribution", "METRICS", "NodeAggregate", "WINDOW_HOURS",
    "contribution", "contribution_of", "cst_day_start_hour", "day_series", "hourly_series", "recompute",
    "shared_copies", "today",
]
