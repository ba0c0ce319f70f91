"""kubectl logs' options: --timestamps, --since, --since-time, --tail, --limit-bytes together,
--all-containers, --all-pods, --ignore-errors, and kubectl's errors for bad combinations."""

from __future__ import annotations

import calendar
import time

import pytest

from tests.conftest import Kubesim

# one line, two more two seconds later (one on stderr), then an unfinished line at +4s
TALK = "sh -c 'echo one; sleep 2; echo two; echo err >&2; sleep 2; printf three'"


def started(kubesim: Kubesim, pod: str) -> int:
    """When the pod's (only) container started, in seconds since the epoch."""
    stamp = kubesim(
        f"get pod {pod} -o jsonpath={{.status.containerStatuses[0].state.*.startedAt}}"
    ).out
    return calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))


def rfc3339(seconds: int, nano: bool = True) -> str:
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    return text + (".000000000Z" if nano else "Z")


@pytest.fixture
def talk(kubesim: Kubesim) -> tuple[Kubesim, int]:
    """A pod that has written its whole log and completed; and when it started."""
    kubesim(f"run talk --image=busybox:1.28.4 --restart=Never -- {TALK}")
    kubesim("tick 10")
    return kubesim, started(kubesim, "talk")


def test_timestamps_are_the_kubelets_fixed_nanosecond_form(talk: tuple[Kubesim, int]) -> None:
    kubesim, t0 = talk
    assert kubesim("logs talk --timestamps").out == (
        f"{rfc3339(t0)} one\n{rfc3339(t0 + 2)} two\n{rfc3339(t0 + 2)} err\n{rfc3339(t0 + 4)} three"
    )


def test_tail_since_and_limit_bytes_combine_as_the_kubelet_reads(
    talk: tuple[Kubesim, int],
) -> None:
    kubesim, t0 = talk
    assert kubesim("logs talk --tail=2").out == "err\nthree"
    assert kubesim("logs talk --tail=0").out == ""
    # --since counts back from the kubelet's now
    seconds = f"{now(kubesim) - (t0 + 2)}s"
    assert kubesim(f"logs talk --since={seconds}").out == "two\nerr\nthree"
    # the tail is taken first, then lines older than since are skipped
    assert kubesim(f"logs talk --tail=3 --since={seconds}").out == "two\nerr\nthree"
    assert kubesim("logs talk --limit-bytes=6").out == "one\ntw"
    stamped = kubesim("logs talk --timestamps --limit-bytes=40").out
    assert stamped == f"{rfc3339(t0)} one\n" + rfc3339(t0 + 2)[:5]


def now(kubesim: Kubesim) -> int:
    """The simulated now, in seconds since the epoch."""
    from kubesim.engine import session

    return int(session.reading().now)


def test_since_time_keeps_lines_from_that_second_on(talk: tuple[Kubesim, int]) -> None:
    kubesim, t0 = talk
    assert kubesim(f"logs talk --since-time={rfc3339(t0 + 2, nano=False)}").out == (
        "two\nerr\nthree"
    )
    # the request carries the time to the second: a fraction is dropped
    later = rfc3339(t0 + 2, nano=False).replace("Z", ".9Z")
    assert kubesim(f"logs talk --since-time={later}").out == "two\nerr\nthree"
    zoned = time.strftime("%Y-%m-%dT%H:%M:%S+01:00", time.gmtime(t0 + 3600 + 3))
    assert kubesim(f"logs talk --since-time={zoned}").out == "three"


def test_an_unfinished_line_waits_for_its_newline(kubesim: Kubesim) -> None:
    kubesim("run part --image=busybox:1.28.4 --restart=Never -- sh -c 'printf a; sleep 2; echo b'")
    kubesim("tick 3")
    assert kubesim("logs part").out == ""  # containerd writes a line when its newline comes
    kubesim("tick 3")
    t0 = started(kubesim, "part")
    assert kubesim("logs part --timestamps").out == f"{rfc3339(t0 + 2)} ab\n"


POD_OF_TWO = """\
apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  containers:
  - {name: app, image: busybox:1.28.4, command: [sh, -c, "echo app up; sleep 3600"]}
  - {name: side, image: busybox:1.28.4, command: [sh, -c, "echo side up; sleep 3600"]}
"""


def test_all_containers_and_the_default_one(kubesim: Kubesim) -> None:
    kubesim("create -f -", stdin=POD_OF_TWO)
    kubesim("tick 6")
    one = kubesim("logs two")
    assert (one.out, one.err) == ("app up\n", 'Defaulted container "app" out of: app, side\n')
    both = kubesim("logs two --all-containers")
    assert (both.out, both.err) == ("app up\nside up\n", "")
    assert kubesim("logs two --all-containers --prefix").out == (
        "[pod/two/app] app up\n[pod/two/side] side up\n"
    )
    assert kubesim("logs two side").out == "side up\n"
    # following streams that all ended returns at once; a live one is cut by --limit-bytes
    assert kubesim("logs two -c side -f --limit-bytes=4").out == "side"


def test_bad_combinations_are_refused_as_kubectl_refuses_them(kubesim: Kubesim) -> None:
    kubesim("create -f -", stdin=POD_OF_TWO)
    kubesim("tick 6")
    errors = {
        "logs two side -c app": "error: only one of -c or an inline [CONTAINER] arg is allowed\n",
        "logs two side --all-containers": (
            "error: --all-containers=true should not be specified with container name side\n"
        ),
        "logs two -c nope": "error: container nope is not valid for pod two\n",
        "logs two --since=-1s": "error: --since must be greater than 0\n",
        "logs two -c app --since=1s --since-time=2024-08-30T06:00:00Z": (
            "error: at most one of `sinceTime` or `sinceSeconds` may be specified\n"
        ),
        "logs two --limit-bytes=-1": "error: --limit-bytes must be greater than 0\n",
        "logs two --tail=-2": "error: --tail must be greater than or equal to -1\n",
        "logs two --since-time=2024-08-30": (
            'error: parsing time "2024-08-30" as "2006-01-02T15:04:05Z07:00": cannot parse "" '
            'as "T"\n'
        ),
        "logs two --since=bogus": (
            'Error: invalid argument "bogus" for "--since" flag: time: invalid duration "bogus"\n'
            "See 'kubesim logs --help' for usage.\n"
        ),
        "logs two -f --all-containers --max-log-requests=1": (
            "error: you are attempting to follow 2 log streams, but maximum allowed concurrency "
            "is 1, use --max-log-requests to increase the limit\n"
        ),
        # rounded to 0 seconds, the request reaches the apiserver, which refuses it
        "logs two -c app --since=400ms": (
            'The PodLogOptions "two" is invalid: sinceSeconds: Invalid value: 0: must be '
            "greater than 0\n"
        ),
        "logs nosuch --tail=-2": (
            'error: error from server (NotFound): pods "nosuch" not found in namespace "default"\n'
        ),
        "logs cm/kube-root-ca.crt": (
            "error: cannot get the logs from *v1.ConfigMap: selector for *v1.ConfigMap not "
            "implemented\n"
        ),
    }
    for command, message in errors.items():
        result = kubesim(command)
        assert (result.code, result.err) == (1, message), command


def test_a_workloads_logs_come_from_its_first_pod_or_all_of_them(kubesim: Kubesim) -> None:
    kubesim(
        "create deployment hello --image=busybox:1.28.4 --replicas=2 -- "
        "sh -c 'echo hello from $(hostname); sleep 3600'"
    )
    kubesim("tick 10")
    names = kubesim("get pods -l app=hello -o name").out.split()
    first = kubesim("logs deploy/hello")
    chosen = first.err.removeprefix("Found 2 pods, using pod/").strip()
    assert f"pod/{chosen}" in names
    assert first.out == f"hello from {chosen}\n"
    every = kubesim("logs deploy/hello --all-pods").out.splitlines()
    assert sorted(every) == sorted(
        f"[{name}/busybox] hello from {name.removeprefix('pod/')}" for name in names
    )


def test_ignore_errors_reports_a_stream_and_goes_on(kubesim: Kubesim) -> None:
    kubesim("run ok --image=busybox:1.28.4 -l app=mixed -- sh -c 'echo fine; sleep 3600'")
    kubesim("tick 5")
    kubesim("run late --image=busybox:1.28.4 -l app=mixed -- sh -c 'echo later; sleep 3600'")
    kubesim("tick 1")
    failed = kubesim("logs -l app=mixed")
    assert failed.code == 1 and failed.err == (
        'Error from server (BadRequest): container "late" in pod "late" is waiting to start: '
        "ContainerCreating\n"
    )
    result = kubesim("logs -l app=mixed --ignore-errors")
    assert (result.code, result.out) == (
        0,
        'error: container "late" in pod "late" is waiting to start: ContainerCreating\nfine\n',
    )


def test_previous_instance_with_timestamps(kubesim: Kubesim) -> None:
    kubesim("run crash --image=busybox:1.28.4 -- sh -c 'echo starting; exit 1'")
    kubesim("tick 20")
    stamped = kubesim("logs crash -p --timestamps").out
    assert stamped.endswith(" starting\n") and stamped[:4].isdigit()
    assert kubesim("logs crash -p --limit-bytes=5").out == "start"
