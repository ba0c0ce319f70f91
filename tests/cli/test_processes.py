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
    kubesim("tick 10")
    assert kubesim("get pod counter --no-headers").out.split()[2] == "Terminating"
    # it went on writing while it was being stopped? no: the kubelet stopped syncing it
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
