"""describe pod: exact text for the tutorial's pod and for the sections other pods need."""

from __future__ import annotations

from kubesim.printers.describe import describe
from tests.unit.printers.describe import objects as o


def test_running_statefulset_pod_with_its_start_events() -> None:
    """web-0 of the tutorial: scheduled, pulled, created, started; web-1's events are not shown."""
    web_0 = o.pod()
    other = o.event(
        o.pod(1),
        "Scheduled",
        "Successfully assigned default/web-1 to kubesim-worker2",
        "default-scheduler",
        7,
    )
    ctx = o.context(web_0, *o.pod_events(web_0), other)
    assert describe(ctx, "pods", web_0) == (
        "Name:             web-0\n"
        "Namespace:        default\n"
        "Priority:         0\n"
        "Service Account:  default\n"
        "Node:             kubesim-worker/172.18.0.3\n"
        "Start Time:       Sat, 01 Mar 2025 10:00:03 +0000\n"
        "Labels:           app=nginx\n"
        "                  apps.kubernetes.io/pod-index=0\n"
        "                  controller-revision-hash=web-6569c98b7d\n"
        "                  statefulset.kubernetes.io/pod-name=web-0\n"
        "Annotations:      <none>\n"
        "Status:           Running\n"
        "IP:               10.244.1.2\n"
        "IPs:\n"
        "  IP:           10.244.1.2\n"
        "Controlled By:  StatefulSet/web\n"
        "Containers:\n"
        "  nginx:\n"
        "    Container ID:   containerd://6a21f7a255c4dbbbe81b2fb398ba4a91\n"
        "    Image:          nginx:1.9.1\n"
        "    Image ID:       docker.io/library/nginx@sha256:2c0b1838b24f2b1c\n"
        "    Port:           80/TCP\n"
        "    Host Port:      0/TCP\n"
        "    State:          Running\n"
        "      Started:      Sat, 01 Mar 2025 10:00:04 +0000\n"
        "    Ready:          True\n"
        "    Restart Count:  0\n"
        "    Environment:    <none>\n"
        "    Mounts:         <none>\n"
        "Conditions:\n"
        "  Type                        Status\n"
        "  PodReadyToStartContainers   True \n"
        "  Initialized                 True \n"
        "  Ready                       True \n"
        "  ContainersReady             True \n"
        "  PodScheduled                True \n"
        "Volumes:                      <none>\n"
        "QoS Class:                    BestEffort\n"
        "Node-Selectors:               <none>\n"
        "Tolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
        "                              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
        "Events:\n"
        "  Type    Reason     Age    From               Message\n"
        "  ----    ------     ----   ----               -------\n"
        "  Normal  Scheduled  4m58s  default-scheduler  Successfully assigned default/web-0 to kubesim-worker\n"
        '  Normal  Pulling    4m57s  kubelet            Pulling image "nginx:1.9.1"\n'
        '  Normal  Pulled     4m56s  kubelet            Successfully pulled image "nginx:1.9.1" in 1s (1s including waiting). Image size: 44060835 bytes.\n'
        "  Normal  Created    4m56s  kubelet            Created container: nginx\n"
        "  Normal  Started    4m56s  kubelet            Started container nginx\n"
    )


def test_unscheduled_pod_has_no_node_ip_or_events() -> None:
    """Node <none>, an empty IP, IPs <none>, a container without status, multi-line commands."""
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "dns-test", "namespace": "default", "uid": "u-dns-test",
                     "creationTimestamp": o.at(290), "labels": {"run": "dns-test"}},
        "spec": {"containers": [{"name": "dns-test", "image": "busybox:1.28",
                                 "command": ["sh", "-c", "echo hello\nsleep 10"], "args": ["--one"]}],
                 "priority": 0, "serviceAccountName": "default"},
        "status": {"phase": "Pending", "qosClass": "BestEffort",
                   "conditions": [{"type": "PodScheduled", "status": "False"}]},
    }  # fmt: skip
    assert describe(o.context(pod), "pods", pod) == (
        "Name:             dns-test\n"
        "Namespace:        default\n"
        "Priority:         0\n"
        "Service Account:  default\n"
        "Node:             <none>\n"
        "Labels:           run=dns-test\n"
        "Annotations:      <none>\n"
        "Status:           Pending\n"
        "IP:               \n"
        "IPs:              <none>\n"
        "Containers:\n"
        "  dns-test:\n"
        "    Image:      busybox:1.28\n"
        "    Port:       <none>\n"
        "    Host Port:  <none>\n"
        "    Command:\n"
        "      sh\n"
        "      -c\n"
        "      echo hello\n"
        "      sleep 10\n"
        "    Args:\n"
        "      --one\n"
        "    Environment:  <none>\n"
        "    Mounts:       <none>\n"
        "Conditions:\n"
        "  Type           Status\n"
        "  PodScheduled   False \n"
        "Volumes:         <none>\n"
        "QoS Class:       BestEffort\n"
        "Node-Selectors:  <none>\n"
        "Tolerations:     <none>\n"
        "Events:          <none>\n"
    )


def test_terminating_pod_and_no_events_section_without_show_events() -> None:
    """A deletionTimestamp in the future prints kubectl's `lasts <invalid>`; --show-events=false."""
    pod = o.pod()
    pod["metadata"]["deletionTimestamp"] = o.at(330)
    pod["metadata"]["deletionGracePeriodSeconds"] = 30
    ctx = o.context(pod, *o.pod_events(pod), show_events=False)
    assert describe(ctx, "pods", pod) == (
        "Name:                      web-0\n"
        "Namespace:                 default\n"
        "Priority:                  0\n"
        "Service Account:           default\n"
        "Node:                      kubesim-worker/172.18.0.3\n"
        "Start Time:                Sat, 01 Mar 2025 10:00:03 +0000\n"
        "Labels:                    app=nginx\n"
        "                           apps.kubernetes.io/pod-index=0\n"
        "                           controller-revision-hash=web-6569c98b7d\n"
        "                           statefulset.kubernetes.io/pod-name=web-0\n"
        "Annotations:               <none>\n"
        "Status:                    Terminating (lasts <invalid>)\n"
        "Termination Grace Period:  30s\n"
        "IP:                        10.244.1.2\n"
        "IPs:\n"
        "  IP:           10.244.1.2\n"
        "Controlled By:  StatefulSet/web\n"
        "Containers:\n"
        "  nginx:\n"
        "    Container ID:   containerd://6a21f7a255c4dbbbe81b2fb398ba4a91\n"
        "    Image:          nginx:1.9.1\n"
        "    Image ID:       docker.io/library/nginx@sha256:2c0b1838b24f2b1c\n"
        "    Port:           80/TCP\n"
        "    Host Port:      0/TCP\n"
        "    State:          Running\n"
        "      Started:      Sat, 01 Mar 2025 10:00:04 +0000\n"
        "    Ready:          True\n"
        "    Restart Count:  0\n"
        "    Environment:    <none>\n"
        "    Mounts:         <none>\n"
        "Conditions:\n"
        "  Type                        Status\n"
        "  PodReadyToStartContainers   True \n"
        "  Initialized                 True \n"
        "  Ready                       True \n"
        "  ContainersReady             True \n"
        "  PodScheduled                True \n"
        "Volumes:                      <none>\n"
        "QoS Class:                    BestEffort\n"
        "Node-Selectors:               <none>\n"
        "Tolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
        "                              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
    )


def test_containers_volumes_probes_environment_and_repeated_events() -> None:
    """Init and crash-looping containers, resources, probes, env sources, mounts, volumes, QoS."""
    container = {
        "name": "app",
        "image": "nginx:1.27",
        "ports": [
            {"containerPort": 80, "protocol": "TCP"},
            {"containerPort": 443, "protocol": "TCP", "hostPort": 8443},
        ],
        "resources": {
            "limits": {"memory": "128Mi", "cpu": "0.5"},
            "requests": {"cpu": "250m", "memory": "64Mi"},
        },
        "livenessProbe": {
            "httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"},
            "initialDelaySeconds": 3,
            "timeoutSeconds": 1,
            "periodSeconds": 10,
            "successThreshold": 1,
            "failureThreshold": 3,
        },
        "readinessProbe": {
            "exec": {"command": ["cat", "/tmp/ready"]},
            "timeoutSeconds": 1,
            "periodSeconds": 5,
            "successThreshold": 1,
            "failureThreshold": 3,
        },
        "startupProbe": {
            "tcpSocket": {"port": "http"},
            "timeoutSeconds": 1,
            "periodSeconds": 10,
            "successThreshold": 1,
            "failureThreshold": 30,
        },
        "envFrom": [
            {"configMapRef": {"name": "settings"}, "prefix": "CFG_"},
            {"secretRef": {"name": "creds", "optional": True}},
        ],
        "env": [
            {"name": "GREETING", "value": "hello\nworld"},
            {
                "name": "POD_NAME",
                "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}},
            },
            {
                "name": "NODE",
                "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}},
            },
            {
                "name": "MEM",
                "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}},
            },
            {
                "name": "CPU",
                "valueFrom": {"resourceFieldRef": {"resource": "requests.cpu", "divisor": "1m"}},
            },
            {
                "name": "PASSWORD",
                "valueFrom": {"secretKeyRef": {"name": "creds", "key": "password"}},
            },
            {
                "name": "MODE",
                "valueFrom": {
                    "configMapKeyRef": {"name": "settings", "key": "mode", "optional": True}
                },
            },
        ],
        "volumeMounts": [
            {"name": "www", "mountPath": "/usr/share/nginx/html"},
            {
                "name": "config",
                "mountPath": "/etc/nginx/conf.d",
                "readOnly": True,
                "subPath": "site",
            },
            {
                "name": "kube-api-access-7xk2p",
                "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                "readOnly": True,
            },
        ],
    }
    projected = {
        "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {
                "configMap": {
                    "name": "kube-root-ca.crt",
                    "items": [{"key": "ca.crt", "path": "ca.crt"}],
                }
            },
            {
                "downwardAPI": {
                    "items": [
                        {
                            "path": "namespace",
                            "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                        }
                    ]
                }
            },
        ]
    }
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "app", "namespace": "default", "uid": "u-app", "creationTimestamp": o.at(0),
                     "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}",
                                     "note": "first line\nsecond line"}},
        "spec": {
            "nodeName": "kubesim-worker",
            "nodeSelector": {"disk": "ssd"},
            "readinessGates": [{"conditionType": "example.com/gate"}],
            "initContainers": [{"name": "init", "image": "busybox:1.28", "command": ["true"]}],
            "containers": [container],
            "volumes": [
                {"name": "www", "persistentVolumeClaim": {"claimName": "www-app"}},
                {"name": "config", "configMap": {"name": "nginx-conf"}},
                {"name": "cache", "emptyDir": {"sizeLimit": "1Gi"}},
                {"name": "scratch", "emptyDir": {}},
                {"name": "logs", "hostPath": {"path": "/var/log", "type": "Directory"}},
                {"name": "kube-api-access-7xk2p", "projected": projected},
            ],
        },
        "status": {
            "phase": "Running", "hostIP": "172.18.0.3", "podIP": "10.244.1.9",
            "podIPs": [{"ip": "10.244.1.9"}], "startTime": o.at(1),
            "initContainerStatuses": [{
                "name": "init", "ready": True, "restartCount": 0, "containerID": "containerd://aaa",
                "imageID": "docker.io/library/busybox@sha256:bbb",
                "state": {"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": o.at(2),
                                         "finishedAt": o.at(3)}},
            }],
            "containerStatuses": [{
                "name": "app", "ready": False, "restartCount": 2, "containerID": "containerd://ccc",
                "imageID": "docker.io/library/nginx@sha256:ddd",
                "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off"}},
                "lastState": {"terminated": {"exitCode": 137, "reason": "Error", "signal": 9,
                                             "message": "killed", "startedAt": o.at(100),
                                             "finishedAt": o.at(160)}},
            }],
            "conditions": [{"type": "Ready", "status": "False"}],
        },
    }  # fmt: skip
    backoff = o.event(
        pod,
        "BackOff",
        "Back-off restarting failed container app in pod app_default(u-app)",
        "kubelet",
        290,
        count=7,
        first=170,
        type_="Warning",
        host="kubesim-worker",
    )
    pulled = o.event(
        pod,
        "Pulled",
        'Container image "nginx:1.27" already present on machine',
        "kubelet",
        160,
        count=3,
        first=2,
        host="kubesim-worker",
    )
    ctx = o.context(pod, backoff, pulled)
    assert describe(ctx, "pods", pod) == (
        "Name:         app\n"
        "Namespace:    default\n"
        "Node:         kubesim-worker/172.18.0.3\n"
        "Start Time:   Sat, 01 Mar 2025 10:00:01 +0000\n"
        "Labels:       <none>\n"
        "Annotations:  note:\n"
        "                first line\n"
        "                second line\n"
        "Status:       Running\n"
        "IP:           10.244.1.9\n"
        "IPs:\n"
        "  IP:  10.244.1.9\n"
        "Init Containers:\n"
        "  init:\n"
        "    Container ID:  containerd://aaa\n"
        "    Image:         busybox:1.28\n"
        "    Image ID:      docker.io/library/busybox@sha256:bbb\n"
        "    Port:          <none>\n"
        "    Host Port:     <none>\n"
        "    Command:\n"
        "      true\n"
        "    State:          Terminated\n"
        "      Reason:       Completed\n"
        "      Exit Code:    0\n"
        "      Started:      Sat, 01 Mar 2025 10:00:02 +0000\n"
        "      Finished:     Sat, 01 Mar 2025 10:00:03 +0000\n"
        "    Ready:          True\n"
        "    Restart Count:  0\n"
        "    Environment:    <none>\n"
        "    Mounts:         <none>\n"
        "Containers:\n"
        "  app:\n"
        "    Container ID:   containerd://ccc\n"
        "    Image:          nginx:1.27\n"
        "    Image ID:       docker.io/library/nginx@sha256:ddd\n"
        "    Ports:          80/TCP, 443/TCP\n"
        "    Host Ports:     0/TCP, 8443/TCP\n"
        "    State:          Waiting\n"
        "      Reason:       CrashLoopBackOff\n"
        "    Last State:     Terminated\n"
        "      Reason:       Error\n"
        "      Message:      killed\n"
        "      Exit Code:    137\n"
        "      Signal:       9\n"
        "      Started:      Sat, 01 Mar 2025 10:01:40 +0000\n"
        "      Finished:     Sat, 01 Mar 2025 10:02:40 +0000\n"
        "    Ready:          False\n"
        "    Restart Count:  2\n"
        "    Limits:\n"
        "      cpu:     500m\n"
        "      memory:  128Mi\n"
        "    Requests:\n"
        "      cpu:      250m\n"
        "      memory:   64Mi\n"
        "    Liveness:   http-get http://:8080/healthz delay=3s timeout=1s period=10s #success=1 #failure=3\n"
        "    Readiness:  exec [cat /tmp/ready] delay=0s timeout=1s period=5s #success=1 #failure=3\n"
        "    Startup:    tcp-socket :http delay=0s timeout=1s period=10s #success=1 #failure=30\n"
        "    Environment Variables from:\n"
        "      settings  ConfigMap with prefix 'CFG_'  Optional: false\n"
        "      creds     Secret                        Optional: true\n"
        "    Environment:\n"
        "      GREETING:  hello\n"
        "                 world\n"
        "      POD_NAME:  app (v1:metadata.name)\n"
        "      NODE:       (v1:spec.nodeName)\n"
        "      MEM:       128 (limits.memory)\n"
        "      CPU:       250 (requests.cpu)\n"
        "      PASSWORD:  <set to the key 'password' in secret 'creds'>     Optional: false\n"
        "      MODE:      <set to the key 'mode' of config map 'settings'>  Optional: true\n"
        "    Mounts:\n"
        '      /etc/nginx/conf.d from config (ro,path="site")\n'
        "      /usr/share/nginx/html from www (rw)\n"
        "      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-7xk2p (ro)\n"
        "Readiness Gates:\n"
        "  Type               Status\n"
        "  example.com/gate   <none> \n"
        "Conditions:\n"
        "  Type    Status\n"
        "  Ready   False \n"
        "Volumes:\n"
        "  www:\n"
        "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"
        "    ClaimName:  www-app\n"
        "    ReadOnly:   false\n"
        "  config:\n"
        "    Type:      ConfigMap (a volume populated by a ConfigMap)\n"
        "    Name:      nginx-conf\n"
        "    Optional:  false\n"
        "  cache:\n"
        "    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)\n"
        "    Medium:     \n"
        "    SizeLimit:  1Gi\n"
        "  scratch:\n"
        "    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)\n"
        "    Medium:     \n"
        "    SizeLimit:  <unset>\n"
        "  logs:\n"
        "    Type:          HostPath (bare host directory volume)\n"
        "    Path:          /var/log\n"
        "    HostPathType:  Directory\n"
        "  kube-api-access-7xk2p:\n"
        "    Type:                    Projected (a volume that contains injected data from multiple sources)\n"
        "    TokenExpirationSeconds:  3607\n"
        "    ConfigMapName:           kube-root-ca.crt\n"
        "    ConfigMapOptional:       <nil>\n"
        "    DownwardAPI:             true\n"
        "QoS Class:                   Burstable\n"
        "Node-Selectors:              disk=ssd\n"
        "Tolerations:                 <none>\n"
        "Events:\n"
        "  Type     Reason   Age                    From     Message\n"
        "  ----     ------   ----                   ----     -------\n"
        '  Normal   Pulled   2m20s (x3 over 4m58s)  kubelet  Container image "nginx:1.27" already present on machine\n'
        "  Warning  BackOff  10s (x7 over 2m10s)    kubelet  Back-off restarting failed container app in pod app_default(u-app)\n"
    )
