"""Object metadata helpers: timestamps, uids, generated names, owner references."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import random

Object = dict[str, Any]

# apimachinery/pkg/util/rand: the alphabet of generated name suffixes (no vowels, no 0/1/3)
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def format_time(ts: float) -> str:
    """RFC 3339 in UTC with second precision, as metav1.Time serializes."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(ts)))


def parse_time(text: str) -> float:
    """Seconds since the epoch for a `format_time` string (fast: no strptime)."""
    year, month, day = int(text[0:4]), int(text[5:7]), int(text[8:10])
    hour, minute, second = int(text[11:13]), int(text[14:16]), int(text[17:19])
    # days from civil (H. Hinnant), valid for the Gregorian calendar
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days = era * 146097 + doe - 719468
    return float(days * 86400 + hour * 3600 + minute * 60 + second)


def rng_for(seed: int, *salt: object) -> random.Random:
    """A deterministic random source for one decision, so a cluster replays identically."""
    import random

    return random.Random(f"{seed}:" + ":".join(map(str, salt)))


def new_uid(rng: random.Random) -> str:
    """A version-4 UUID string drawn from `rng`."""
    value = rng.getrandbits(128)
    value &= ~(0xC000 << 48)
    value |= 0x8000 << 48
    value &= ~(0xF000 << 64)
    value |= 4 << 76
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def generate_name(base: str, rng: random.Random) -> str:
    """`generateName` + 5 random characters, the base cut to 58 characters first."""
    return base[:58] + "".join(rng.choice(NAME_ALPHABET) for _ in range(5))


def is_generated_from(name: str, base: str) -> bool:
    """Whether `name` is what generate_name makes of `base`."""
    stem = base[:58]
    suffix = name[len(stem) :]
    return name.startswith(stem) and len(suffix) == 5 and all(c in NAME_ALPHABET for c in suffix)


def labels_of(obj: Mapping[str, Any]) -> dict[str, str]:
    labels: dict[str, str] = obj["metadata"].get("labels") or {}
    return labels


MIRROR_ANNOTATION = "kubernetes.io/config.mirror"


def is_mirror_pod(pod: Mapping[str, Any]) -> bool:
    """A static pod's mirror in the API (it carries the kubelet's config.mirror annotation)."""
    annotations = (pod.get("metadata") or {}).get("annotations") or {}
    return isinstance(annotations, dict) and MIRROR_ANNOTATION in annotations


def owner_reference(owner: Mapping[str, Any], *, controller: bool = True) -> Object:
    """The ownerReference a controller puts on what it creates."""
    ref: Object = {
        "apiVersion": owner["apiVersion"],
        "kind": owner["kind"],
        "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"],
    }
    if controller:
        ref["controller"] = True
        ref["blockOwnerDeletion"] = True
    return ref


def controller_ref(obj: Mapping[str, Any]) -> Object | None:
    """The ownerReference with controller: true, if any (metav1.GetControllerOf)."""
    for ref in obj["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return ref  # type: ignore[no-any-return]
    return None


def is_terminating(obj: Mapping[str, Any]) -> bool:
    return bool(obj["metadata"].get("deletionTimestamp"))


def without_null_stamps(value: Any) -> Any:
    """`value` without the `creationTimestamp: null` of embedded metadata: the Go struct kubesim
    stands in for hashes the same zero time whether or not the JSON shows it."""
    if isinstance(value, dict):
        return {
            k: without_null_stamps(v)
            for k, v in value.items()
            if not (k == "creationTimestamp" and v is None)
        }
    if isinstance(value, list):
        return [without_null_stamps(v) for v in value]
    return value


_T = TypeVar("_T")


def clone(obj: _T) -> _T:
    """A deep copy of a JSON value (an API object), several times faster than copy.deepcopy:
    through orjson and back."""
    from kubesim.store import codec

    try:
        copied: _T = codec.loads(codec.dumps(obj))
        return copied
    except (TypeError, ValueError):  # not plain JSON (a tuple key, a huge number): the slow way
        import copy

        return copy.deepcopy(obj)
