"""Which events describe shows for an object, and how the Events table reads."""

from __future__ import annotations

import copy

from kubesim.printers.describe.events import describe_events, events_for
from kubesim.printers.describe.writer import PrefixWriter
from tests.unit.printers.describe import objects as o


def table(events: list[o.Object]) -> str:
    w = PrefixWriter()
    describe_events(o.context(), events, w)
    return w.text()


def test_events_match_name_namespace_kind_and_uid() -> None:
    sts = o.statefulset()
    mine = o.event(sts, "SuccessfulCreate", "create Pod web-0", "statefulset-controller", 1)
    recreated = copy.deepcopy(sts)
    recreated["metadata"]["uid"] = "uid-of-an-earlier-web"
    earlier = o.event(
        recreated, "SuccessfulDelete", "delete Pod web-0", "statefulset-controller", 0
    )
    same_name = o.pod()
    same_name["metadata"]["name"] = "web"
    other_kind = o.event(same_name, "Scheduled", "x", "default-scheduler", 2)
    ctx = o.context(sts, mine, earlier, other_kind)
    assert events_for(ctx, sts) == [mine]


def test_events_of_a_cluster_scoped_object_are_found_in_any_namespace() -> None:
    node = o.node()
    registered = o.event(node, "RegisteredNode", "Registered", "node-controller", 1)
    registered["involvedObject"]["namespace"] = ""
    assert events_for(o.context(node, registered), node) == [registered]


def test_no_events_is_one_line() -> None:
    assert table([]) == "Events:  <none>\n"


def test_events_are_sorted_by_last_timestamp_and_repeats_counted() -> None:
    pod = o.pod()
    late = o.event(pod, "Unhealthy", "Readiness probe failed", "kubelet", 290, count=22, first=80,
                   type_="Warning")  # fmt: skip
    early = o.event(pod, "Scheduled", "Successfully assigned default/web-0 to kubesim-worker",
                    "default-scheduler", 2)  # fmt: skip
    assert table([late, early]) == (
        "Events:\n"
        "  Type     Reason     Age                   From               Message\n"
        "  ----     ------     ----                  ----               -------\n"
        "  Normal   Scheduled  4m58s                 default-scheduler  Successfully assigned default/web-0 to kubesim-worker\n"
        "  Warning  Unhealthy  10s (x22 over 3m40s)  kubelet            Readiness probe failed\n"
    )


def test_an_event_without_source_shows_its_reporting_controller() -> None:
    pod = o.pod()
    event = o.event(pod, "Scheduled", " assigned \n", "default-scheduler", 2)
    event["source"] = {}
    event["eventTime"] = "2025-03-01T10:00:01.000000Z"
    assert (
        table([event]).splitlines()[-1] == "  Normal  Scheduled  4m59s  default-scheduler  assigned"
    )
