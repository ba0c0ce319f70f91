"""Lists a kind cluster answers that kubesim has no objects for: the ResourceQuotas and
LimitRanges of every namespace (there are none). `kubectl describe namespace` asks for them;
kubesim's own describe prints what their empty lists mean."""

from __future__ import annotations

EMPTY_LISTS = {"resourcequotas": "ResourceQuotaList", "limitranges": "LimitRangeList"}
