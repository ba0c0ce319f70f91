"""Helpers every describer shares: the context it reads from, and describe.go's small printers
(labels and annotations on several lines, tolerations, taints, times, Go's %v of values)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from kubesim.api import meta
from kubesim.printers.age import human_duration
from kubesim.printers.describe.writer import LEVEL_0, Writer

Object = dict[str, Any]
Lister = Callable[[str, "str | None"], list[Object]]
# (index, value, resource, namespace) -> the objects with that index entry, in list order
IndexLister = Callable[[str, str, str, "str | None"], list[Object]]

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"  # describe.go skipAnnotations
MAX_ANNOTATION_LEN = 140  # describe.go maxAnnotationLen


class Context:
    """What a describer may look at besides its object: the cluster's objects and the time.

    `objects(resource, namespace)` lists stored objects of a resource ("pods",
    "replicasets.apps") in one namespace, or in all when `namespace` is None, in the
    apiserver's list order. `local_time` prints timestamps in the machine's zone, as kubectl
    does (metav1.Time is unmarshalled with .Local()); tests keep UTC.
    """

    def __init__(
        self,
        now: float,
        objects: Lister,
        *,
        indexed: IndexLister | None = None,
        events_about: Callable[[str], list[Object]] | None = None,
        show_events: bool = True,
        local_time: bool = False,
    ) -> None:
        self.now = now
        self.objects = objects
        self._indexed = indexed
        self._events_about = events_about
        self.show_events = show_events
        self.local_time = local_time

    def indexed(self, index: str, value: str, resource: str, namespace: str | None) -> list[Object]:
        """The objects the store's index `index` (kubesim.store.indexes) finds for `value`,
        as kubectl's field and label selectors would find them, without a full list."""
        if self._indexed is not None:
            return self._indexed(index, value, resource, namespace)
        from kubesim.store import indexes

        return [
            o
            for o in self.objects(resource, namespace)
            if (index, value) in indexes.entries(resource, o)
        ]

    def events_about(self, uid: str) -> list[Object]:
        """The events whose involvedObject has this uid, in every namespace."""
        if self._events_about is not None:
            return self._events_about(uid)
        return [
            e
            for e in self.objects("events", None)
            if (e.get("involvedObject") or {}).get("uid") == uid
        ]

    def since(self, timestamp: str | None) -> str:
        """translateTimestampSince: `<unknown>` for no time, else HumanDuration(now - t)."""
        if not timestamp:
            return "<unknown>"
        return human_duration(self.now - meta.parse_time(timestamp))

    def rfc1123z(self, timestamp: str | None) -> str:
        """Go's t.Format(time.RFC1123Z); an unset metav1.Time is Go's zero time."""
        if not timestamp:
            return "Mon, 01 Jan 0001 00:00:00 +0000"
        return format_rfc1123z(meta.parse_time(timestamp), local=self.local_time)


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_rfc1123z(seconds: float, *, local: bool = False) -> str:
    """`Mon, 02 Jan 2006 15:04:05 -0700`, in UTC or the local zone (English names always)."""
    t = time.localtime(seconds) if local else time.gmtime(seconds)
    offset = t.tm_gmtoff if local else 0
    sign = "-" if offset < 0 else "+"
    hours, minutes = divmod(abs(offset) // 60, 60)
    return (
        f"{_DAYS[t.tm_wday]}, {t.tm_mday:02d} {_MONTHS[t.tm_mon - 1]} {t.tm_year} "
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} {sign}{hours:02d}{minutes:02d}"
    )


# --- Go formatting of values ------------------------------------------------------------------


def go_value(value: Any) -> str:
    """fmt's %v of a JSON value as Go decodes it (bools lower-case, nil as <nil>)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, list):
        return go_slice(value)
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_value(v)}" for k, v in sorted(value.items())) + "]"
    return str(value)


def _go_float(value: float) -> str:
    """fmt's %v of a float64 (strconv 'g', shortest): exponent form when the decimal exponent
    is below -4 or at least 6 (ftoa.go: "use precision 6 for this decision")."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "0"
    from decimal import Decimal

    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    point = len(text) + exponent  # digits before the decimal point
    minus = "-" if sign else ""
    if point - 1 < -4 or point - 1 >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        e = point - 1
        return f"{minus}{mantissa}e{'-' if e < 0 else '+'}{abs(e):02d}"
    if point <= 0:
        return f"{minus}0.{'0' * -point}{text}"
    if point >= len(text):
        return minus + text + "0" * (point - len(text))
    return f"{minus}{text[:point]}.{text[point:]}"


def go_slice(values: Iterable[Any] | None) -> str:
    """fmt's %v of a slice: `[a b c]`, `[]` when empty or nil."""
    return "[" + " ".join(go_value(v) for v in values or ()) + "]"


def print_bool(value: bool) -> str:
    """describe.go printBool: True / False."""
    return "True" if value else "False"


def print_bool_ptr(value: bool | None) -> str:
    """describe.go printBoolPtr: <unset> for a nil *bool."""
    return "<unset>" if value is None else print_bool(value)


def string_or_none(text: str) -> str:
    return text or "<none>"


def format_labels(labels: Mapping[str, str] | None) -> str:
    """labels.FormatLabels: `k=v,k2=v2` sorted by key, `<none>` when empty."""
    if not labels:
        return "<none>"
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


def selector_string(selector: Mapping[str, Any] | None) -> str:
    """LabelSelectorAsSelector(s).String(): `app=nginx,tier in (a,b)`; "" for nil or empty."""
    from kubesim.api import selectors

    return str(selectors.from_label_selector(selector))


def format_label_selector(selector: Mapping[str, Any] | None) -> str:
    """metav1.FormatLabelSelector: as selector_string, `<none>` when that is empty."""
    return selector_string(selector) or "<none>"


def controller_of(obj: Object) -> str:
    """describe.go printController: `Kind/name` of the controlling owner, "" if none."""
    ref = meta.controller_ref(obj)
    return f"{ref.get('kind', '')}/{ref.get('name', '')}" if ref else ""


def metadata(obj: Object) -> Object:
    meta_: Object = obj.get("metadata") or {}
    return meta_


# --- multi-line printers ----------------------------------------------------------------------


def print_labels_multiline(
    w: Writer,
    title: str,
    labels: Mapping[str, str] | None,
    *,
    initial_indent: str = "",
    inner_indent: str = "\t",
) -> None:
    """printLabelsMultilineWithIndent: first label beside the title, the rest below it."""
    w.write(LEVEL_0, f"{initial_indent}{title}:{inner_indent}")
    if not labels:
        w.write_line("<none>")
        return
    for i, key in enumerate(sorted(labels)):
        if i != 0:
            w.write(LEVEL_0, initial_indent)
            w.write(LEVEL_0, inner_indent)
        w.write(LEVEL_0, f"{key}={labels[key]}\n")


def print_annotations_multiline(
    w: Writer, title: str, annotations: Mapping[str, str] | None
) -> None:
    """printAnnotationsMultiline: long or multi-line values go below their key, cut at 140."""
    w.write(LEVEL_0, f"{title}:\t")
    keys = sorted(k for k in annotations or {} if k != LAST_APPLIED)
    if not keys:
        w.write_line("<none>")
        return
    assert annotations is not None
    indent = "\t"
    for i, key in enumerate(keys):
        if i != 0:
            w.write(LEVEL_0, indent)
        value = annotations[key].removesuffix("\n")
        # Go's len() counts bytes
        if len(value.encode()) + len(key.encode()) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(LEVEL_0, f"{key}:\n")
            for line in value.split("\n"):
                w.write(LEVEL_0, f"{indent}  {_shorten(line, MAX_ANNOTATION_LEN - 2)}\n")
        else:
            w.write(LEVEL_0, f"{key}: {value}\n")


def _shorten(text: str, max_length: int) -> str:
    """describe.go shorten: cut to max_length bytes and mark it with `...`."""
    raw = text.encode()
    if len(raw) <= max_length:
        return text
    return raw[:max_length].decode(errors="ignore") + "..."


def print_tolerations_multiline(
    w: Writer, title: str, tolerations: Sequence[Object] | None
) -> None:
    """printTolerationsMultilineWithIndent: `key=value:Effect op=Exists for 300s`, by key."""
    w.write(LEVEL_0, f"{title}:\t")
    if not tolerations:
        w.write_line("<none>")
        return
    for i, toleration in enumerate(sorted(tolerations, key=lambda t: t.get("key") or "")):
        if i != 0:
            w.write(LEVEL_0, "\t")
        key, value = toleration.get("key") or "", toleration.get("value") or ""
        effect = toleration.get("effect") or ""
        text = key
        if value:
            text += f"={value}"
        if effect:
            text += f":{effect}"
        if toleration.get("operator") == "Exists" and not value:
            text += " op=Exists" if key or effect else "op=Exists"
        seconds = toleration.get("tolerationSeconds")
        if seconds is not None:
            text += f" for {seconds}s"
        w.write(LEVEL_0, text + "\n")


def taint_string(taint: Mapping[str, Any]) -> str:
    """corev1.Taint.ToString: `key=value:Effect`, `key:Effect`, `key=value:`, `key`."""
    key, value, effect = taint.get("key", ""), taint.get("value", ""), taint.get("effect", "")
    if not effect:
        return f"{key}={value}:" if value else key
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def print_taints_multiline(w: Writer, title: str, taints: Sequence[Object] | None) -> None:
    """printTaintsMultilineWithIndent: sorted by `effect,key`."""
    w.write(LEVEL_0, f"{title}:\t")
    if not taints:
        w.write_line("<none>")
        return
    ordered = sorted(taints, key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}")
    for i, taint in enumerate(ordered):
        if i != 0:
            w.write(LEVEL_0, "\t")
        w.write(LEVEL_0, taint_string(taint) + "\n")


def print_names_multiline(w: Writer, title: str, names: Sequence[str]) -> None:
    """printPodsMultilineWithIndent: names sorted, one a line."""
    w.write(LEVEL_0, f"{title}:\t")
    if not names:
        w.write_line("<none>")
        return
    for i, name in enumerate(sorted(names)):
        if i != 0:
            w.write(LEVEL_0, "\t")
        w.write(LEVEL_0, name + "\n")
