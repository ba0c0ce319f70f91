"""Label selectors, parsed and matched as apimachinery's labels package does."""

from __future__ import annotations

import pytest

from kubesim.api import selectors
from kubesim.api.errors import UsageError


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        ("app=nginx", {"app": "nginx"}, True),
        ("app==nginx", {"app": "nginx"}, True),
        ("app=nginx", {"app": "other"}, False),
        ("app!=nginx", {}, True),  # != also matches objects without the key
        ("app!=nginx", {"app": "nginx"}, False),
        ("tier in (web,api)", {"tier": "api"}, True),
        ("tier in (web,api)", {}, False),
        ("tier notin (web)", {}, True),
        ("tier notin (web)", {"tier": "web"}, False),
        ("canary", {"canary": ""}, True),
        ("!canary", {"canary": "yes"}, False),
        ("app=nginx,!canary", {"app": "nginx"}, True),
        ("replicas>2", {"replicas": "3"}, True),
        ("", {"any": "thing"}, True),
    ],
)
def test_matches(text: str, labels: dict[str, str], expected: bool) -> None:
    assert selectors.parse(text).matches(labels) is expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("app in (a", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("=x", "found '=', expected: !, identifier, or 'end of string'"),
        ("app=nginx,", "found '', expected: identifier after ','"),
        ("app in a", "unable to parse requirement: found 'a' expected: '('"),
    ],
)
def test_parse_errors_carry_apimachinery_messages(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        selectors.parse(text)
    assert caught.value.message == message


def test_string_form_is_sorted_by_key() -> None:
    assert str(selectors.parse("b=2, a in (y,x)")) == "a in (x,y),b=2"


def test_label_selector_objects() -> None:
    spec = {
        "matchLabels": {"app": "nginx"},
        "matchExpressions": [{"key": "tier", "operator": "In", "values": ["web"]}],
    }
    selector = selectors.from_label_selector(spec)
    assert selector.matches({"app": "nginx", "tier": "web"})
    assert not selector.matches({"app": "nginx"})
    assert not selectors.from_label_selector(None).matches({"app": "nginx"})  # nil selects nothing
    assert selectors.from_label_selector({}).matches({"app": "nginx"})  # empty selects everything
