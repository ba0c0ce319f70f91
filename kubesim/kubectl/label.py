"""kubectl label and annotate, apart from their command line (pkg/cmd/label/label.go,
pkg/cmd/annotate/annotate.go): the change to one metadata map, its refusals and its message."""

from __future__ import annotations

import copy
from typing import Any

from kubesim.api.errors import Aggregate, KubesimError, UsageError

Object = dict[str, Any]

CHANGE_CAUSE = "kubernetes.io/change-cause"  # annotate may always overwrite it


class MetadataChange:
    """What label or annotate was asked to do to one map of metadata."""

    def __init__(
        self, field: str, new: dict[str, str], remove: list[str], overwrite: bool, list_: bool
    ) -> None:
        self.field = field
        self.new = new
        self.remove = remove
        self.overwrite = overwrite
        self.list = list_

    @property
    def noun(self) -> str:
        return "label" if self.field == "labels" else "annotation"

    def conflicts(self, current: dict[str, str]) -> KubesimError | None:
        """The refusal to overwrite without --overwrite (labelFunc / updateAnnotations)."""
        if self.overwrite:
            return None
        if self.field == "labels":
            # label refuses any existing key, even with the same value
            found = [k for k in sorted(self.new) if k in current]
            messages = [
                f"'{k}' already has a value ({current[k]}), and --overwrite is false" for k in found
            ]
            if not messages:
                return None
            return UsageError(messages[0]) if len(messages) == 1 else Aggregate(messages)
        found = [
            k
            for k in sorted(self.new)
            if k != CHANGE_CAUSE and k in current and current[k] != self.new[k]
        ]
        if not found:
            return None
        return UsageError(
            "--overwrite is false but found the following declared annotation(s): "
            + "; ".join(f"'{k}' already has a value ({current[k]})" for k in found)
        )

    def apply(self, obj: Object) -> Object:
        """A copy of `obj` with the change made (the map is kept even when it ends up empty,
        as accessor.SetLabels leaves it, which decides "labeled" below)."""
        obj = copy.deepcopy(obj)
        values = dict(obj["metadata"].get(self.field) or {})
        values.update(self.new)
        for key in self.remove:
            values.pop(key, None)
        obj["metadata"][self.field] = values
        return obj

    def message(self, before: Object, after: Object) -> str:
        """updateDataChangeMsg for labels; annotate always says "annotated"."""
        if self.field != "labels":
            return "annotated"
        from kubesim.api.gofmt import go_json

        old, new = go_json(before), go_json(after)
        if old == new:
            return "not labeled"
        if not self.overwrite and len(new) < len(old):
            return "unlabeled"
        return "labeled"
