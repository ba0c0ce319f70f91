"""Containers' main processes run in the sandbox: pods complete, crash-loop, and have logs."""

from __future__ import annotations

from tests.conftest import Kubesim


def status_of(kubesim: Kubesim, pod: str) -> list[str]:
    return kubesim(f"get pod {pod}").out.splitlines()[1].split()[1:4]


def test_a_command_runs_to_completion_and_its_output_is_the_log(kubesim: Kubesim) -> None:
    kubesim(
        "run hi --image=busybox:1.28.4 --restart=Never -- sh -c 'echo hello; sleep 5; echo bye'"
    )
    kubesim("tick 4")
    assert status_of(kubesim, "hi") == ["1/1", "Running", "0"]
    assert kubesim("logs hi").out == "hello\n"  # "bye" is 5 simulated seconds away
    kubesim("tick 5")
    assert status_of(kubesim, "hi") == ["0/1", "Completed", "0"]
    assert kubesim("logs hi").out == "hello\nbye\n"


def test_nslookup_from_a_pod_that_is_not_attached(article: Kubesim) -> None:
    article("run dns --image=busybox:1.28.4 --restart=Never -- nslookup web-0.nginx")
    article("tick 5")
    assert status_of(article, "dns") == ["0/1", "Completed", "0"]
    assert "Name:      web-0.nginx\n" in article("logs dns").out


def test_a_failing_command_leaves_the_pod_failed(kubesim: Kubesim) -> None:
    kubesim("run bad --image=busybox:1.28.4 --restart=Never -- sh -c 'echo oops >&2; exit 3'")
    kubesim("tick 6")
    assert status_of(kubesim, "bad") == ["0/1", "Error", "0"]
    assert kubesim("get pod bad -o jsonpath={.status.phase}").out == "Failed"
    assert kubesim("logs bad").out == "oops\n"


def test_a_container_that_keeps_exiting_crash_loops(kubesim: Kubesim) -> None:
    kubesim("run crash --image=busybox:1.28.4 -- sh -c 'echo starting; exit 1'")
    kubesim("tick 20")
    ready, status, restarts = status_of(kubesim, "crash")
    assert (ready, status) == ("0/1", "CrashLoopBackOff") and int(restarts) >= 2
    assert kubesim("logs crash --previous").out == "starting\n"
    events = kubesim("get events --field-selector reason=BackOff").out
    assert "Back-off restarting failed container crash in pod crash_default(" in events


def test_sleep_keeps_a_container_running(kubesim: Kubesim) -> None:
    kubesim("run sleeper --image=busybox:1.28.4 -- sleep 3600")
    kubesim("tick 100")
    assert status_of(kubesim, "sleeper") == ["1/1", "Running", "0"]


def test_a_missing_program_is_a_start_error(kubesim: Kubesim) -> None:
    kubesim("run nope --image=busybox:1.28.4 --restart=Never -- nonesuch")
    kubesim("tick 5")
    assert status_of(kubesim, "nope") == ["0/1", "StartError", "0"]


def test_logs_errors(kubesim: Kubesim) -> None:
    kubesim("run w --image=busybox:1.28.4 -- sleep 3600")
    assert (kubesim("logs w").code, kubesim("logs w").out) == (0, "")  # not on a node yet
    kubesim("tick 1")
    assert kubesim("logs w").err == (
        'Error from server (BadRequest): container "w" in pod "w" is waiting to start: ContainerCreating\n'
    )
    kubesim("tick 5")
    assert kubesim("logs w --previous").err == (
        'Error from server (BadRequest): previous terminated container "w" in pod "w" not found\n'
    )
    assert kubesim("logs nosuch").err == (
        'error: error from server (NotFound): pods "nosuch" not found in namespace "default"\n'
    )


def test_attach_to_a_shell_started_with_run_it(kubesim: Kubesim) -> None:
    assert kubesim(
        "run -i -t --image busybox:1.28.4 sh1", stdin="echo first\nexit\n"
    ).out.startswith("first\n")
    kubesim("tick 3")
    result = kubesim("attach sh1 -c sh1 -i -t", stdin="hostname\nexit\n")
    assert (result.code, result.out) == (0, "sh1\n")


def test_exec_into_a_workload_picks_one_of_its_pods(article: Kubesim) -> None:
    assert article("exec sts/web -- hostname").out in ("web-0\n", "web-1\n")
    assert article("exec svc/nginx -- hostname").out in ("web-0\n", "web-1\n")


CRASHING_SET = """\
apiVersion: apps/v1
kind: {kind}
metadata:
  name: cs
spec:
  replicas: 2
  {extra}selector: {{matchLabels: {{app: cs}}}}
  template:
    metadata: {{labels: {{app: cs}}}}
    spec:
      containers:
      - name: c
        image: busybox:1.28.4
        command: [sh, -c, "echo starting; exit 1"]
"""


def test_a_container_that_exits_at_once_is_never_seen_ready(kubesim: Kubesim) -> None:
    kubesim(
        "create -f -", stdin=CRASHING_SET.format(kind="StatefulSet", extra="serviceName: cs\n  ")
    )
    for _ in range(30):
        kubesim("tick 1")
        assert (
            kubesim("get pod cs-0 -o jsonpath={.status.containerStatuses[0].ready}").out != "true"
        )
    assert kubesim("get pods -o name").out == "pod/cs-0\n"  # OrderedReady halts behind cs-0


def test_a_crashing_deployment_does_not_roll_out(kubesim: Kubesim) -> None:
    kubesim("create -f -", stdin=CRASHING_SET.format(kind="Deployment", extra=""))
    result = kubesim("rollout status deployment/cs --timeout=20s")
    assert result.code == 1
    assert "successfully rolled out" not in result.out
    assert kubesim("get deploy cs -o jsonpath={.status.availableReplicas}").out == ""


def test_logs_of_pods_chosen_by_label(kubesim: Kubesim) -> None:
    kubesim("run talk1 --image=busybox:1.28.4 -l app=talk -- sh -c 'seq 1 12; sleep 3600'")
    kubesim("run talk2 --image=busybox:1.28.4 -l app=talk -- sh -c 'echo hello; sleep 3600'")
    kubesim("tick 5")
    # a selector shows the last 10 lines of each pod unless --tail says otherwise
    assert kubesim("logs -l app=talk").out == "".join(f"{n}\n" for n in range(3, 13)) + "hello\n"
    assert kubesim("logs -l app=talk --prefix --tail=1").out == (
        "[pod/talk1/talk1] 12\n[pod/talk2/talk2] hello\n"
    )
    nothing = kubesim("logs -l app=none")
    assert (nothing.code, nothing.out, nothing.err) == (
        0,
        "",
        "No resources found in default namespace.\n",
    )
    assert kubesim("logs -l app=talk --tail=-1").out.count("\n") == 13  # all of them
    both = kubesim("logs talk1 -l app=talk")
    assert (both.code, both.err) == (
        1,
        "error: only a selector (-l) or a POD name is allowed\n"
        "See 'kubesim logs -h' for help and examples\n",
    )


def test_logs_usage_errors(kubesim: Kubesim) -> None:
    assert kubesim("logs").err == (
        "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
        "POD or TYPE/NAME is a required argument for the logs command\n"
        "See 'kubesim logs -h' for help and examples\n"
    )
    # Validate runs once the pod is found (logs.go: Complete, then Validate)
    assert kubesim("logs web-0 --tail=-2").err == (
        'error: error from server (NotFound): pods "web-0" not found in namespace "default"\n'
    )
