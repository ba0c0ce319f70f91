"""Objects to bytes and back: orjson where it can, the standard library where it cannot.

orjson is several times faster than `json` both ways, which is most of what reading a large
cluster costs. It refuses integers beyond 64 bits, which a careless manifest may hold in a
field the apiserver drops, and strings with lone surrogates (the bytes of a binary file copied
into a container, kept as surrogate escapes); those documents go through `json` instead, with
the surrogates escaped.
"""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; this keeps a broken env usable
    orjson = None  # type: ignore[assignment]


def dumps(value: Any) -> bytes:
    if orjson is not None:
        try:
            return orjson.dumps(value)
        except TypeError:
            pass
    return json.dumps(value, separators=(",", ":")).encode()


def loads(data: bytes | str) -> Any:
    if orjson is not None:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass  # an escaped lone surrogate, which only `json` reads back
    return json.loads(data)
