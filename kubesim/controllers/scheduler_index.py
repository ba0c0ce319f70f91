"""The pods of every node as PodTopologySpread and InterPodAffinity count them, read from the
scheduler's cache: label sets with how many pods carry each, looked up by selector through an
index by label built once per pass, and kept up to date as the pass assumes pods onto nodes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from kubesim.api import selectors
from kubesim.api.selectors import Selector
from kubesim.controllers.scheduler_cache import NodeCache, parse_signature

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
        self._by_pair: dict[str, set[tuple[str, str]]] | None = None
        self._all: set[tuple[str, str]] = set()
        self.memo: dict[Lookup, dict[str, int]] = {}
        cache.listeners.append(self._changed)

    def labels_of(self, sig: str) -> tuple[str, dict[str, str]]:
        found = self.parsed.get(sig)
        if found is None:
            found = self.parsed[sig] = parse_signature(sig)
        return found

    def _index(self) -> dict[str, set[tuple[str, str]]]:
        if self._by_pair is None:
            self._by_pair = defaultdict(set)
            for node in self.nodes:
                for sig in self.cache.total(node).get("labels") or {}:
                    self._add(node, sig)
        return self._by_pair

    def _add(self, node: str, sig: str) -> None:
        assert self._by_pair is not None
        if (node, sig) in self._all:
            return
        self._all.add((node, sig))
        namespace, labels = self.labels_of(sig)
        for key, value in labels.items():
            self._by_pair[f"{key}={value}"].add((node, sig))

    def _candidates(self, selector: Selector) -> Iterable[tuple[str, str]]:
        """The (node, label set) pairs that may match: those with the label values of the
        selector's most selective equality or set requirement, else all."""
        index = self._index()
        best: set[tuple[str, str]] | None = None
        for r in selector.requirements:
            if r.operator not in (selectors.IN, selectors.EQUALS, selectors.DOUBLE_EQUALS):
                continue
            found: set[tuple[str, str]] = set()
            for value in r.values:
                found |= index.get(f"{r.key}={value}", set())
            if best is None or len(found) < len(best):
                best = found
        return self._all if best is None else best

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
            if not selector.nothing:
                for node, sig in self._candidates(selector):
                    if self._matches(lookup, sig):
                        found[node] += self._count(node, sig, live)
            self.memo[lookup] = found
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
        if self._by_pair is not None:
            self._add(node, sig)
        for lookup, counts in self.memo.items():
            if (lookup[2] and terminating) or not self._matches(lookup, sig):
                continue
            counts[node] += sign
