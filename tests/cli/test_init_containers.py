"""Init containers as the Init Containers concept page shows them: run in order, each to its
end, the app's containers waiting; kubectl's Init:N/M, PodInitializing, Init:Error."""

from __future__ import annotations

import json

from tests.conftest import Kubesim

# the concept page's pod (content/en/docs/concepts/workloads/pods/init-containers.md)
MYAPP = """\
apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app.kubernetes.io/name: MyApp
spec:
  containers:
  - name: myapp-container
    image: busybox:1.28
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done"]
  - name: init-mydb
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for mydb; sleep 2; done"]
"""
SERVICES = """\
apiVersion: v1
kind: Service
metadata:
  name: myservice
spec:
  ports:
  - protocol: TCP
    port: 80
    targetPort: 9376
---
apiVersion: v1
kind: Service
metadata:
  name: mydb
spec:
  ports:
  - protocol: TCP
    port: 80
    targetPort: 9377
"""


def status(kubesim: Kubesim, pod: str = "myapp-pod") -> str:
    row = kubesim(f"get pod {pod} --no-headers").out.split()
    return f"{row[1]} {row[2]}"


def test_the_init_containers_page_end_to_end(kubesim: Kubesim) -> None:
    assert kubesim("apply -f -", stdin=MYAPP).out == "pod/myapp-pod created\n"
    kubesim("tick 3")
    assert status(kubesim) == "0/1 Init:0/2"
    kubesim("tick 20")
    assert status(kubesim) == "0/1 Init:0/2"
    logs = kubesim("logs myapp-pod -c init-myservice").out
    assert "waiting for myservice\n" in logs
    assert "nslookup: can't resolve 'myservice.default.svc.cluster.local'" in logs
    described = kubesim("describe pod myapp-pod").out
    assert "Initialized                 False" in described
    assert kubesim("logs myapp-pod -c init-mydb").err.startswith("Error from server (BadRequest)")

    kubesim("create -f -", stdin=SERVICES)
    seen = []
    for _ in range(10):
        kubesim("tick 1")
        now = status(kubesim)
        if not seen or seen[-1] != now:
            seen.append(now)
    assert seen == ["0/1 Init:1/2", "0/1 PodInitializing", "1/1 Running"] or seen == [
        "0/1 Init:0/2",
        "0/1 Init:1/2",
        "0/1 PodInitializing",
        "1/1 Running",
    ]
    assert kubesim("logs myapp-pod").out == "The app is running!\n"
    inits = json.loads(kubesim("get pod myapp-pod -o jsonpath={.status.initContainerStatuses}").out)
    assert [(s["name"], s["state"]["terminated"]["reason"]) for s in inits] == [
        ("init-myservice", "Completed"),
        ("init-mydb", "Completed"),
    ]


def test_a_failing_init_container_backs_off_or_fails_the_pod(kubesim: Kubesim) -> None:
    failing = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  restartPolicy: {policy}
  initContainers:
  - name: setup
    image: busybox:1.28
    command: [sh, -c, 'echo no luck; exit 3']
  containers:
  - name: app
    image: busybox:1.28
    command: [sleep, '3600']
"""
    kubesim("create -f -", stdin=failing.format(name="again", policy="Always"))
    kubesim("create -f -", stdin=failing.format(name="once", policy="Never"))
    seen = set()
    for _ in range(30):
        kubesim("tick 1")
        seen.add(status(kubesim, "again"))
    assert {"0/1 Init:Error", "0/1 Init:CrashLoopBackOff"} <= seen
    assert int(kubesim("get pod again --no-headers").out.split()[3]) >= 2
    assert status(kubesim, "once") == "0/1 Init:Error"
    phase = kubesim("get pod once -o jsonpath={.status.phase}").out
    assert phase == "Failed"
    assert kubesim("logs once -c setup").out == "no luck\n"


def test_a_native_sidecar_runs_beside_the_app(kubesim: Kubesim) -> None:
    sidecar = """\
apiVersion: v1
kind: Pod
metadata:
  name: with-sidecar
spec:
  initContainers:
  - name: logshipper
    image: busybox:1.28
    restartPolicy: Always
    command: [sh, -c, 'while true; do echo shipping; sleep 5; done']
  containers:
  - name: app
    image: busybox:1.28
    command: [sh, -c, 'echo working; sleep 3600']
"""
    kubesim("create -f -", stdin=sidecar)
    kubesim("tick 8")
    assert status(kubesim, "with-sidecar") == "2/2 Running"
    assert kubesim("logs with-sidecar -c logshipper").out.startswith("shipping\nshipping\n")
