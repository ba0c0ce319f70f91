"""Server-side Tables carry the cells `kubesim get -o wide` prints."""

from __future__ import annotations

import pytest

from kubesim.api import kinds
from kubesim.api.errors import BadRequest
from kubesim.printers import server_table


def test_a_pods_table_has_kubesims_columns_with_their_priorities() -> None:
    pod = {
        "metadata": {"name": "web-0", "namespace": "default",
                     "creationTimestamp": "2026-01-01T00:00:00Z"},
        "spec": {"containers": [{"name": "nginx"}], "nodeName": "kubesim-worker"},
        "status": {"phase": "Pending"},
    }  # fmt: skip
    table = server_table.table(kinds.by_resource("pods"), [pod], 1767225610.0, resource_version="7")
    columns = [(c["name"], c["priority"]) for c in table["columnDefinitions"]]
    assert columns == [("Name", 0), ("Ready", 0), ("Status", 0), ("Restarts", 0), ("Age", 0),
                       ("IP", 1), ("Node", 1), ("Nominated Node", 1), ("Readiness Gates", 1)]  # fmt: skip
    [row] = table["rows"]
    assert row["cells"] == ["web-0", "0/1", "Pending", "0", "10s", "<none>", "kubesim-worker",
                            "<none>", "<none>"]  # fmt: skip
    assert row["object"]["kind"] == "PartialObjectMetadata"
    assert table["metadata"] == {"resourceVersion": "7"}


def test_include_object_takes_three_values() -> None:
    assert server_table.check_include("") == "Metadata"
    assert server_table.check_include("None") == "None"
    with pytest.raises(BadRequest):
        server_table.check_include("Everything")
