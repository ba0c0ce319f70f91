"""What `kubectl auth can-i --list` does with the rules the server returns
(pkg/util/rbac/rbac.go BreakdownRule, CompactRules, SortableRuleSlice; pkg/cmd/auth/cani.go)."""

from __future__ import annotations

Rule = dict[str, list[str]]


def breakdown(rule: Rule) -> list[Rule]:
    """One rule per group, resource, verb (and name); one per URL and verb."""
    subrules: list[Rule] = []
    for group in rule.get("apiGroups") or []:
        for resource in rule.get("resources") or []:
            for verb in rule.get("verbs") or []:
                base = {"apiGroups": [group], "resources": [resource], "verbs": [verb]}
                names = rule.get("resourceNames") or []
                subrules += [{**base, "resourceNames": [n]} for n in names] or [base]
    for url in rule.get("nonResourceURLs") or []:
        for verb in rule.get("verbs") or []:
            subrules.append({"nonResourceURLs": [url], "verbs": [verb]})
    return subrules


def compact(rules: list[Rule]) -> list[Rule]:
    """Rules on one resource (and at most one name) merged into one with all their verbs."""
    compacted: list[Rule] = []
    simple: dict[tuple[str, str, str | None], Rule] = {}
    for rule in rules:
        key = _simple_key(rule)
        if key is None:
            compacted.append(rule)
        elif key in simple:
            simple[key]["verbs"] += [v for v in rule["verbs"] if v not in simple[key]["verbs"]]
        else:
            simple[key] = {k: list(v) for k, v in rule.items()}
    return compacted + list(simple.values())


def _simple_key(rule: Rule) -> tuple[str, str, str | None] | None:
    names = rule.get("resourceNames") or []
    if len(names) > 1 or rule.get("nonResourceURLs"):
        return None
    groups, resources = rule.get("apiGroups") or [], rule.get("resources") or []
    if len(groups) != 1 or len(resources) != 1:
        return None
    return groups[0], resources[0], names[0] if names else None


def _go_list(values: list[str] | None) -> str:
    return "[" + " ".join(values or []) + "]"


def sort_key(rule: Rule) -> str:
    """PolicyRule.String(), which SortableRuleSlice compares."""
    return (
        f"&PolicyRule{{Verbs:{_go_list(rule.get('verbs'))},"
        f"APIGroups:{_go_list(rule.get('apiGroups'))},"
        f"Resources:{_go_list(rule.get('resources'))},"
        f"ResourceNames:{_go_list(rule.get('resourceNames'))},"
        f"NonResourceURLs:{_go_list(rule.get('nonResourceURLs'))},}}"
    )


def combine_resource_group(resources: list[str], groups: list[str]) -> str:
    """describe.CombineResourceGroup: `pods`, `deployments.apps`, `pods.*/log`."""
    if not resources:
        return ""
    resource, _, sub = resources[0].partition("/")
    if groups and groups[0]:
        resource += "." + groups[0]
    return f"{resource}/{sub}" if sub else resource


def access_lines(rules: list[Rule], headers: bool) -> list[list[str]]:
    """The table `can-i --list` prints: each rule broken down, compacted and sorted."""
    broken = [sub for rule in rules for sub in breakdown(rule)]
    ordered = sorted(compact(broken), key=sort_key)
    lines = [["Resources", "Non-Resource URLs", "Resource Names", "Verbs"]] if headers else []
    for rule in ordered:
        lines.append([
            combine_resource_group(rule.get("resources") or [], rule.get("apiGroups") or []),
            _go_list(rule.get("nonResourceURLs")),
            _go_list(rule.get("resourceNames")),
            _go_list(rule.get("verbs")),
        ])  # fmt: skip
    return lines
