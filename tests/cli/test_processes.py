"""Containers' main processes in simulated time: a script's effects happen at their moment,
across commands, and a container is stopped as the kubelet stops it (signal, grace, SIGKILL)."""

from __future__ import annotations

import json

from tests.conftest import Kubesim

# the probes page's exec-liveness pod (content/en/examples/pods/probe/exec-liveness.yaml)
EXEC_LIVENESS = """\
apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox:1.27.2
    args:
    - /bin/sh
    - -c
    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600
    livenessProbe:
      exec:
        command:
        - cat
        - /tmp/healthy
      initialDelaySeconds: 5
      periodSeconds: 5
"""

COUNTER = """\
apiVersion: v1
kind: Pod
metadata:
  name: counter
spec:
  containers:
  - name: count
    image: busybox:1.28
    args: [/bin/sh, -c, 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done']
"""


def restarts(kubesim: Kubesim, pod: str) -> int:
    return int(kubesim(f"get pod {pod} --no-headers").out.split()[3])


def test_the_exec_liveness_pod_restarts_after_the_grace_period(kubesim: Kubesim) -> None:
    kubesim("create -f -", stdin=EXEC_LIVENESS)
    kubesim("tick 20")
    # the file exists until the script's sleep 30 is over
    assert kubesim("exec liveness-exec -- ls /tmp").out == "healthy\n"
    kubesim("tick 15")  # 35 s: the file went 30 s after the start; no probe failed before
    assert kubesim("exec liveness-exec -- ls /tmp").out == ""
    assert "Unhealthy" not in kubesim("get events").out
    elapsed = 35
    while "Killing" not in kubesim("get events").out:  # the third failure kills it
        kubesim("tick 1")
        elapsed += 1
    assert 44 <= elapsed <= 50
    # SIGTERM, which sh as PID 1 ignores: it runs on until the 30 s grace period is over
    kubesim("tick 28")
    assert restarts(kubesim, "liveness-exec") == 0
    kubesim("tick 3")
    assert restarts(kubesim, "liveness-exec") == 1
    last = json.loads(
        kubesim(
            "get pod liveness-exec -o jsonpath={.status.containerStatuses[0].lastState.terminated}"
        ).out
    )
    assert (last["exitCode"], last["reason"]) == (137, "Error")
    # the new container starts the script again: its file is back
    assert kubesim("exec liveness-exec -- ls /tmp").out == "healthy\n"


def test_a_script_logs_as_it_runs(kubesim: Kubesim) -> None:
    kubesim("create -f -", stdin=COUNTER)
    kubesim("tick 3")
    first = kubesim("logs counter").out.splitlines()
    kubesim("tick 5")
    later = kubesim("logs counter").out.splitlines()
    assert later[: len(first)] == first
    assert len(later) == len(first) + 5
    assert [line.split(":")[0] for line in later] == [str(i) for i in range(len(later))]
    # each line is stamped with the simulated second it was written
    stamped = kubesim("logs counter --timestamps").out.splitlines()
    seconds = [line.split()[0][17:19] for line in stamped]
    assert len(set(seconds)) == len(seconds)


def test_a_shell_as_pid_1_takes_the_grace_period_to_delete(kubesim: Kubesim) -> None:
    kubesim("create -f -", stdin=COUNTER)
    kubesim("tick 3")
    result = kubesim("delete pod counter --wait=false")
    assert result.out == 'pod "counter" deleted\n'
    before = len(kubesim("logs counter").out.splitlines())
    kubesim("tick 10")
    assert kubesim("get pod counter --no-headers").out.split()[2] == "Terminating"
    # it goes on writing through its grace period: SIGTERM means nothing to it
    assert len(kubesim("logs counter").out.splitlines()) >= before + 9
    kubesim("tick 25")
    assert kubesim("get pod counter").code == 1


def test_nginx_stops_at_once(kubesim: Kubesim) -> None:
    kubesim("run web --image=nginx:1.25")
    kubesim("tick 5")
    kubesim("delete pod web --wait=false")
    kubesim("tick 2")
    assert kubesim("get pod web").err == 'Error from server (NotFound): pods "web" not found\n'


def test_a_script_sees_the_cluster_as_it_is_when_it_wakes(kubesim: Kubesim) -> None:
    manifest = """\
apiVersion: v1
kind: Pod
metadata:
  name: waiter
spec:
  restartPolicy: Never
  containers:
  - name: wait
    image: busybox:1.28
    command: [sh, -c, 'until nslookup late; do sleep 2; done; echo found it']
"""
    kubesim("create -f -", stdin=manifest)
    kubesim("tick 10")
    assert "found it" not in kubesim("logs waiter").out
    service = "apiVersion: v1\nkind: Service\nmetadata: {name: late}\nspec: {ports: [{port: 80}]}\n"
    kubesim("create -f -", stdin=service)
    kubesim("tick 4")
    assert kubesim("logs waiter").out.endswith("found it\n")
    kubesim("tick 2")
    assert kubesim("get pod waiter --no-headers").out.split()[2] == "Completed"


def test_dependent_environment_variables_and_args_are_expanded(kubesim: Kubesim) -> None:
    """The define-environment-variable-container page's print-greeting pod."""
    manifest = """\
apiVersion: v1
kind: Pod
metadata:
  name: print-greeting
spec:
  containers:
  - name: env-print-demo
    image: bash
    env:
    - name: GREETING
      value: "Warm greetings to"
    - name: HONORIFIC
      value: "The Most Honorable"
    - name: NAME
      value: "Kubernetes"
    - name: MESSAGE
      value: "$(GREETING) $(HONORIFIC) $(NAME)"
    - name: ESCAPED
      value: "$$(NAME) and $(LATER) stay"
    - name: LATER
      value: "later"
    command: ["echo"]
    args: ["$(MESSAGE)", "/", "$(ESCAPED)"]
"""
    kubesim("create -f -", stdin=manifest)
    kubesim("tick 5")
    assert kubesim("logs print-greeting").out == (
        "Warm greetings to The Most Honorable Kubernetes / $(NAME) and $(LATER) stay\n"
    )


def test_the_lifecycle_page_s_hooks(kubesim: Kubesim) -> None:
    """attach-handler-lifecycle-event: postStart writes a file; preStop runs before the stop."""
    manifest = """\
apiVersion: v1
kind: Pod
metadata:
  name: lifecycle-demo
spec:
  containers:
  - name: lifecycle-demo-container
    image: nginx
    lifecycle:
      postStart:
        exec:
          command: ["/bin/sh", "-c", "echo Hello from the postStart handler > /usr/share/message"]
      preStop:
        exec:
          command: ["/bin/sh", "-c", "echo bye > /usr/share/nginx/html/bye; sleep 4"]
"""
    kubesim("apply -f -", stdin=manifest)
    kubesim("tick 5")
    assert kubesim("exec lifecycle-demo -- cat /usr/share/message").out == (
        "Hello from the postStart handler\n"
    )
    kubesim("delete pod lifecycle-demo --wait=false")
    kubesim("tick 2")
    # nginx stops on its signal, which comes once the preStop hook's 4 seconds are over
    assert kubesim("get pod lifecycle-demo --no-headers").out.split()[2] == "Terminating"
    kubesim("tick 5")
    assert kubesim("get pod lifecycle-demo").code == 1


def test_a_failing_post_start_hook_kills_the_container(kubesim: Kubesim) -> None:
    manifest = """\
apiVersion: v1
kind: Pod
metadata:
  name: hooked
spec:
  containers:
  - name: app
    image: nginx:1.25
    lifecycle:
      postStart:
        exec:
          command: ["sh", "-c", "echo no config >&2; exit 3"]
"""
    kubesim("create -f -", stdin=manifest)
    kubesim("tick 6")
    failed = kubesim(
        "get events --field-selector reason=FailedPostStartHook -o jsonpath={.items[0].message}"
    ).out
    assert failed.startswith(
        'Exec lifecycle hook ([sh -c echo no config >&2; exit 3]) for Container "app" in Pod '
        '"hooked_default('
    )
    assert failed.endswith(
        "failed - error: command 'sh -c echo no config >&2; exit 3' exited with 3: "
        'no config\n, message: "no config\\n"'
    )
    assert int(kubesim("get pod hooked --no-headers").out.split()[3]) >= 1


def trapped_pod(name: str, reference: str, script: str) -> str:
    head = f"apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  containers:\n"
    return (
        head
        + "  - name: main\n    image: "
        + reference
        + "\n"
        + (f"    command: [sh, -c, {json.dumps(script)}]\n")
    )


def terminated(kubesim: Kubesim, pod: str) -> dict[str, object]:
    text = kubesim(
        f"get pod {pod} -o jsonpath={{.status.containerStatuses[0].state.terminated}}"
    ).out
    return dict(json.loads(text)) if text else {}


def test_a_trap_on_term_runs_its_handler_during_the_grace_period(kubesim: Kubesim) -> None:
    looping = "trap 'echo bye; exit 0' TERM; echo up; while true; do sleep 1; done"
    waiting = "trap 'echo stopping; exit 3' TERM; echo up; sleep 3600 & wait"
    blocked = "trap 'echo never; exit 0' TERM; echo up; sleep 3600"
    kubesim("create -f -", stdin=trapped_pod("looping", "busybox:1.36", looping))
    kubesim("create -f -", stdin=trapped_pod("waiting", "busybox:1.36", waiting))
    kubesim("create -f -", stdin=trapped_pod("blocked", "debian:bookworm", blocked))
    kubesim("tick 5")
    kubesim("delete pod looping waiting blocked --wait=false")
    kubesim("tick 2")
    # the handler runs once the current `sleep 1` is over; `wait` is interrupted at once
    assert kubesim("logs looping").out == "up\nbye\n"
    assert (
        terminated(kubesim, "looping")["exitCode"],
        terminated(kubesim, "looping")["reason"],
    ) == (
        0,
        "Completed",
    )
    assert kubesim("logs waiting").out == "up\nstopping\n"
    assert terminated(kubesim, "waiting")["exitCode"] == 3
    # a shell waiting for its foreground sleep takes the signal only after it: SIGKILL first
    assert kubesim("get pod blocked --no-headers").out.split()[2] == "Terminating"
    kubesim("tick 27")
    assert kubesim("logs blocked").out == "up\n"
    kubesim("tick 3")
    assert kubesim("get pods").err == "No resources found in default namespace.\n"


def test_exit_traps_and_trap_listings(kubesim: Kubesim) -> None:
    script = "trap 'echo cleanup' EXIT; trap '' HUP; trap; echo work"
    kubesim("create -f -", stdin=trapped_pod("job", "busybox:1.36", script))
    kubesim("tick 4")
    assert kubesim("logs job").out == (
        "trap -- 'echo cleanup' EXIT\ntrap -- '' HUP\nwork\ncleanup\n"
    )
    kubesim("run deb --image=debian:bookworm -- sleep 3600")
    kubesim("tick 3")
    assert kubesim("exec deb -- bash -c \"trap 'echo bye' TERM EXIT; trap\"").out == (
        "trap -- 'echo bye' EXIT\ntrap -- 'echo bye' SIGTERM\nbye\n"
    )


def test_a_liveness_kill_lets_the_trap_end_the_container(kubesim: Kubesim) -> None:
    manifest = """\
apiVersion: v1
kind: Pod
metadata:
  name: graceful
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [sh, -c, "trap 'echo shutting down; exit 0' TERM; while true; do sleep 1; done"]
    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      periodSeconds: 2
      failureThreshold: 1
"""
    kubesim("create -f -", stdin=manifest)
    kubesim("tick 8")
    last = json.loads(
        kubesim(
            "get pod graceful -o jsonpath={.status.containerStatuses[0].lastState.terminated}"
        ).out
    )
    assert (last["exitCode"], last["reason"]) == (0, "Completed")
    assert kubesim("logs graceful --previous").out == "shutting down\n"


def test_a_pod_reaches_its_phase_with_its_last_container_s_exit(kubesim: Kubesim) -> None:
    """The kubelet's status update after an exit computes the phase from the same statuses
    (getPhase): `describe` never shows Running beside a terminated last container."""

    def phase_and_ready(name: str) -> list[str]:
        template = '{.status.phase} {.status.conditions[?(@.type=="Ready")].reason}'
        return kubesim(f"get pod {name} -o jsonpath='{template}'").out.split()

    kubesim("run once --image=busybox:1.28 --restart=Never -- sh -c 'echo hi'")
    kubesim("run later --image=busybox:1.28 --restart=Never -- sh -c 'sleep 3; exit 2'")
    kubesim("tick 3")
    assert kubesim("get pod once --no-headers").out.split()[2] == "Completed"
    assert phase_and_ready("once") == ["Succeeded", "PodCompleted"]
    assert phase_and_ready("later") == ["Running"]
    kubesim("tick 3")
    assert kubesim("get pod later --no-headers").out.split()[2] == "Error"
    assert phase_and_ready("later") == ["Failed", "PodFailed"]
    kubesim("run always --image=busybox:1.28 -- sh -c 'exit 1'")
    kubesim("tick 3")
    assert phase_and_ready("always")[0] == "Running"  # the kubelet will start it again
