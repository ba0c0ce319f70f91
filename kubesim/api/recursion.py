"""Room on Python's stack for values nested as deeply as kubectl's decoders allow.

go-yaml and encoding/json accept 10,000 nested levels; kubesim's own code (copies, patches,
printers, JSON) walks values recursively, a few frames a level. The decoders in kubesim are
iterative; the commands that carry a deep manifest further raise Python's recursion limit for
as long as they hold it, and only then, so a runaway recursion elsewhere still stops early.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

FRAMES_PER_LEVEL = 6  # the most any walk over a value spends (yaml's representer, patches)
_SHALLOW = 100  # values this deep fit in the default limit with room to spare


def nesting(value: Any) -> int:
    """How many lists and maps are nested in `value`, counted without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack += [(child, level + 1) for child in children if isinstance(child, dict | list)]
    return deepest


@contextmanager
def room(depth: int) -> Iterator[None]:
    """Enough recursion for walks over values `depth` levels deep, restored afterwards."""
    if depth <= _SHALLOW:
        yield
        return
    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(max(saved, saved + FRAMES_PER_LEVEL * depth))
    try:
        yield
    finally:
        sys.setrecursionlimit(saved)


@contextmanager
def at_most(depth: int) -> Iterator[None]:
    """Recursion for `depth` more levels and no more: for C code (the json module) that
    recurses once a level on the C stack, which must fail cleanly past the decoders' limit."""
    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(max(saved, _stack_depth() + depth + 50))
    try:
        yield
    finally:
        sys.setrecursionlimit(saved)


def _stack_depth() -> int:
    frame: Any = sys._getframe()
    depth = 0
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth
