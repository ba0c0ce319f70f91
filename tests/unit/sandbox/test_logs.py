"""The runtime's log lines and the kubelet's reading of them (tail, since, bytes, timestamps)."""

from __future__ import annotations

import pytest

from kubesim.api.errors import BadRequest
from kubesim.sandbox.logs import LogLine, LogOptions, container_lines, cri_lines, read_logs

T = 1_700_000_000.0
WRITES = [
    [T, "stdout", "one\n"],
    [T + 1, "stdout", "tw"],
    [T + 1, "stderr", "err\n"],
    [T + 2, "stdout", "o\nthr"],
    [T + 3, "stdout", "ee"],
]


def test_a_line_is_written_when_its_newline_comes_per_stream() -> None:
    assert cri_lines(WRITES, now=T + 10) == [
        LogLine(T, "stdout", "one\n"),
        LogLine(T + 1, "stderr", "err\n"),
        LogLine(T + 2, "stdout", "two\n"),
    ]


def test_what_is_left_when_the_streams_close_is_a_partial_line() -> None:
    assert cri_lines(WRITES, now=T + 10, closed_at=T + 5)[-1] == LogLine(
        T + 5, "stdout", "three", partial=True
    )
    assert cri_lines(WRITES, now=T + 4, closed_at=T + 5)[-1].text == "two\n"  # not closed yet


def test_writes_after_now_are_not_in_the_file_yet() -> None:
    assert [line.text for line in cri_lines(WRITES, now=T + 1)] == ["one\n", "err\n"]


LINES = [LogLine(T + n, "stdout", f"line {n}\n") for n in range(5)]


def test_tail_then_since_then_the_byte_limit() -> None:
    assert read_logs(LINES, LogOptions(tail=3)) == "line 2\nline 3\nline 4\n"
    assert read_logs(LINES, LogOptions(tail=3, since=T + 3)) == "line 3\nline 4\n"
    assert read_logs(LINES, LogOptions(since=T + 4)) == "line 4\n"
    assert read_logs(LINES, LogOptions(limit_bytes=9)) == "line 0\nli"
    assert read_logs(LINES, LogOptions(tail=0)) == ""


def test_timestamps_count_towards_the_byte_limit() -> None:
    stamped = read_logs(LINES[:1], LogOptions(timestamps=True))
    assert stamped == "2023-11-14T22:13:20.000000000Z line 0\n"
    assert read_logs(LINES, LogOptions(timestamps=True, limit_bytes=10)) == "2023-11-14"


def test_a_fraction_of_a_second_shows_in_nanoseconds() -> None:
    line = LogLine(T + 0.25, "stdout", "x\n")
    assert read_logs([line], LogOptions(timestamps=True)) == "2023-11-14T22:13:20.250000000Z x\n"


def pod(state: dict[str, object], node: str | None = "kubesim-worker") -> dict[str, object]:
    return {
        "metadata": {"name": "p"},
        "spec": {"nodeName": node, "containers": [{"name": "c"}]},
        "status": {"containerStatuses": [{"name": "c", "state": state}]},
    }


def test_a_container_waiting_for_its_image_has_no_log() -> None:
    with pytest.raises(BadRequest, match="is waiting to start: image can't be pulled"):
        container_lines(pod({"waiting": {"reason": "ErrImagePull"}}), "c", {}, False, T)


def test_a_pod_not_on_a_node_has_an_empty_log() -> None:
    assert container_lines(pod({}, node=None), "c", {}, False, T) == []


def test_a_terminated_container_flushes_its_last_line_at_finished_at() -> None:
    finished = {"terminated": {"finishedAt": "2023-11-14T22:13:30Z"}}
    record = {"current": [[T, "stdout", "bye"]]}
    assert container_lines(pod(finished), "c", record, False, T + 20) == [
        LogLine(T + 10, "stdout", "bye", partial=True)
    ]
