"""The pods of every node as PodTopologySpread and InterPodAffinity count them, read from the
scheduler's cache: label sets with how many pods carry each, counted by selector once per pass
and kept up to date as the pass assumes pods onto nodes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from kubesim.api import selectors
from kubesim.api.selectors import Selector
from kubesim.controllers.scheduler_cache import NodeCache, parse_signature
from kubesim.store import codec

Object = dict[str, Any]
# a lookup: the namespaces a selector counts pods in (None: any), the selector, and whether
# terminating pods count (PodTopologySpread leaves them out, InterPodAffinity does not)
Lookup = tuple[frozenset[str] | None, Selector, bool]


class PodIndex:
    """How many pods of each node match a selector; `counts` is memoised for the pass."""

    def __init__(self, cache: NodeCache, nodes: Iterable[str]) -> None:
        self.cache = cache
        self.nodes = list(nodes)
        self.parsed: dict[str, tuple[str, dict[str, str]]] = {}
        self.memo: dict[Lookup, dict[str, int]] = {}
        # the memo, numbered, with the strings a label set must hold to match
        self._lookups: list[tuple[Lookup, dict[str, int], list[str]]] = []
        self._matched: dict[tuple[int, str], bool] = {}  # (lookup number, label set) -> matches
        # the lookups by the strings they need (those needing none apart), and the label sets'
        # own `"key":"value"` strings: a pod counted onto a node touches only the lookups its
        # labels can match, however many selectors (ReplicaSets, Services) the pass counts by
        self._by_needle: dict[str, list[int]] = defaultdict(list)
        self._unindexed: list[int] = []
        self._pairs: dict[str, list[str]] = {}
        self._holders: dict[str, set[str]] | None = None  # label set -> nodes that hold it
        cache.listeners.append(self._changed)

    def labels_of(self, sig: str) -> tuple[str, dict[str, str]]:
        found = self.parsed.get(sig)
        if found is None:
            found = self.parsed[sig] = parse_signature(sig)
        return found

    def _candidates(self, needles: list[str]) -> Iterator[tuple[str, set[str]]]:
        """The label sets that hold one of `needles` (all if none), with the nodes that hold
        them."""
        if self._holders is None:
            self._holders = defaultdict(set)
            for node in self.nodes:
                for sig in self.cache.total(node).get("labels") or {}:
                    self._holders[sig].add(node)
        for sig, holders in self._holders.items():
            if not needles or any(n in sig for n in needles):
                yield sig, holders

    def _count(self, node: str, sig: str, live: bool) -> int:
        total = self.cache.total(node)
        count = int((total.get("labels") or {}).get(sig, 0))
        if live:
            count -= int((total.get("terminating") or {}).get(sig, 0))
        return count

    def _matches(self, lookup: Lookup, sig: str) -> bool:
        namespaces, selector, _ = lookup
        namespace, labels = self.labels_of(sig)
        return (namespaces is None or namespace in namespaces) and selector.matches(labels)

    def counts(
        self, namespaces: frozenset[str] | None, selector: Selector, live: bool
    ) -> dict[str, int]:
        """Node -> how many of its pods in `namespaces` match `selector` (never mutate it)."""
        lookup = (namespaces, selector, live)
        found = self.memo.get(lookup)
        if found is None:
            found = defaultdict(int)
            wanted = _needles(selector)
            if not selector.nothing:
                for sig, holders in self._candidates(wanted):
                    if self._matches(lookup, sig):
                        for node in holders:
                            found[node] += self._count(node, sig, live)
            self.memo[lookup] = found
            number = len(self._lookups)
            self._lookups.append((lookup, found, wanted))
            for needle in wanted:
                self._by_needle[needle].append(number)
            if not wanted:
                self._unindexed.append(number)
        return found

    def pods(self) -> Iterator[tuple[str, str, int]]:
        """(node, label set, how many pods, terminating ones included) for every node."""
        for node in self.nodes:
            for sig, count in (self.cache.total(node).get("labels") or {}).items():
                yield node, sig, int(count)

    def with_affinity(self) -> Iterator[tuple[str, str, Object]]:
        """(node, label set, podAffinity/podAntiAffinity) of the pods that declare them."""
        for node in self.nodes:
            for sig, affinity in (self.cache.total(node).get("affinity") or {}).values():
                yield node, sig, affinity

    def _changed(self, node: str, sig: str, terminating: bool, sign: int) -> None:
        """A pod counted onto or off `node` (assumed, or counted as the pass began)."""
        if self._holders is not None and sign > 0:
            self._holders[sig].add(node)  # (a node left without it only counts 0)
        pairs = self._pairs.get(sig)
        if pairs is None:
            labels = self.labels_of(sig)[1]
            pairs = self._pairs[sig] = [
                codec.dumps({k: v}).decode()[1:-1] for k, v in labels.items()
            ]
        numbers = set(self._unindexed)
        for pair in pairs:
            numbers.update(self._by_needle.get(pair, ()))
        for number in sorted(numbers):
            lookup, counts, _ = self._lookups[number]
            if lookup[2] and terminating:
                continue
            matched = self._matched.get((number, sig))
            if matched is None:
                matched = self._matched[(number, sig)] = self._matches(lookup, sig)
            if matched:
                counts[node] += sign


def _needles(selector: Selector) -> list[str]:
    """What a label set (JSON) must contain to match: one of the `"key":"value"` pairs of the
    selector's first equality or set requirement, which cannot appear in JSON but as that pair;
    none to look for when it has no such requirement."""
    for r in selector.requirements:
        if r.operator in (selectors.IN, selectors.EQUALS, selectors.DOUBLE_EQUALS):
            return [codec.dumps({r.key: v}).decode()[1:-1] for v in r.values]
    return []
