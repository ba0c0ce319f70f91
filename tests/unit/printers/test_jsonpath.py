"""kubectl JSONPath templates."""

from __future__ import annotations

import pytest

from kubesim.printers.jsonpath import JSONPathError, render, render_json

DATA = {
    "kind": "List",
    "items": [
        {
            "metadata": {"name": "web-0", "labels": {"app": "nginx"}},
            "status": {"podIP": "10.244.1.2", "phase": "Running"},
        },
        {
            "metadata": {"name": "web-1", "labels": {"app": "db"}},
            "status": {"podIP": "10.244.2.2", "phase": "Pending"},
        },
    ],
}


@pytest.mark.parametrize(
    ("template", "text"),
    [
        ("{.kind}", "List"),
        ("{.items[0].metadata.name}", "web-0"),
        ("{.items[*].metadata.name}", "web-0 web-1"),
        ("{.items[-1].status.podIP}", "10.244.2.2"),
        (
            '{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}',
            "web-0\tRunning\nweb-1\tPending\n",
        ),
        ('{.items[?(@.status.phase=="Running")].metadata.name}', "web-0"),
        ("{..podIP}", "10.244.1.2 10.244.2.2"),
        ("{.items[0].metadata.labels}", '{"app":"nginx"}'),
        ("{.missing}", ""),
        ("name: {.items[1].metadata.name}", "name: web-1"),
    ],
)
def test_templates(template: str, text: str) -> None:
    assert render(template, DATA) == text


def test_unclosed_action_is_an_error() -> None:
    with pytest.raises(JSONPathError):
        render("{.kind", DATA)


def test_escaped_dots_belong_to_the_field_name() -> None:
    data = {"metadata": {"labels": {"statefulset.kubernetes.io/pod-name": "web-0"}}}
    assert render(r"{.metadata.labels.statefulset\.kubernetes\.io/pod-name}", data) == "web-0"


def test_render_json_prints_each_part_as_a_json_array() -> None:
    # kubectl create configmap x --from-literal=a=b --from-literal=c=d -o jsonpath-as-json=...
    data = {"kind": "ConfigMap", "data": {"a": "b", "c": "d"}}
    assert render_json("x{.data.a}{.nope}", data) == '[\n    "x"\n]\n[\n    "b"\n]\n[]\n'
    assert render_json("{.data.*}", data) == '[\n    "b",\n    "d"\n]\n'
    # and as encoding/json does, < and > are escaped
    assert render_json("{range .data.*}<{@}>{end}", data) == "".join(
        f'[\n    "{part}"\n]\n' for part in ("\\u003c", "b", "\\u003e", "\\u003c", "d", "\\u003e")
    )
