"""The custom-columns printer."""

from __future__ import annotations

import pytest

from kubesim.printers.custom_columns import (
    ColumnsError,
    cell,
    from_spec,
    from_template,
    relaxed_jsonpath,
    render,
)

POD = {
    "metadata": {"name": "web-0", "labels": {"app": "nginx"}},
    "spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]},
    "status": {"podIP": "10.244.1.2"},
}


@pytest.mark.parametrize(
    "spelling", ["metadata.name", ".metadata.name", "{metadata.name}", "{.metadata.name}"]
)
def test_relaxed_jsonpath(spelling: str) -> None:
    assert relaxed_jsonpath(spelling) == "{.metadata.name}"


def test_spec_keeps_header_case() -> None:
    assert from_spec("name:.metadata.name,IP:status.podIP") == [
        ("name", "{.metadata.name}"),
        ("IP", "{.status.podIP}"),
    ]


def test_template_file_columns() -> None:
    assert from_template("NAME IP\n.metadata.name .status.podIP\n") == [
        ("NAME", "{.metadata.name}"),
        ("IP", "{.status.podIP}"),
    ]
    with pytest.raises(
        ColumnsError, match=r"number of headers \(2\) and field specifications \(1\)"
    ):
        from_template("NAME IP\n.metadata.name\n")


def test_cells() -> None:
    assert cell("{.missing}", POD) == "<none>"
    assert cell("{.spec.containers[*].image}", POD) == "x,y"
    assert cell("{.metadata.labels}", POD) == "map[app:nginx]"


def test_render_aligns_like_kubectl() -> None:
    columns = from_spec("NAME:.metadata.name,IP:.status.podIP")
    assert render(columns, [POD], no_headers=False) == "NAME    IP\nweb-0   10.244.1.2\n"
    assert render(columns, [], no_headers=False) == "NAME   IP\n"
