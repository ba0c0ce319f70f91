"""What `kind create cluster` (v0.27, node image kindest/node:v1.32.2) installs, as data.

Sources: kubeadm v1.32's addons (cmd/kubeadm/app/phases/addons/dns/manifests.go: the CoreDNS
Deployment, ConfigMap and ServiceAccount; proxy/manifests.go: the kube-proxy DaemonSet and
ConfigMap), kubeadm's static pod manifests, and kind v0.27's node image
(pkg/build/nodeimage/const_cni.go: kindnet; const_storage.go: local-path-provisioner) and its
kubeadm config template (pod subnet 10.244.0.0/16, service subnet 10.96.0.0/16, kube-proxy in
iptables mode with conntrack maxPerCore 0).
"""

from __future__ import annotations

from typing import Any

Object = dict[str, Any]

KUBERNETES_VERSION = "v1.32.2"
POD_SUBNET = "10.244.0.0/16"
SERVICE_SUBNET = "10.96.0.0/16"
CONTROL_PLANE_TAINT = "node-role.kubernetes.io/control-plane"
COREDNS_IMAGE = "registry.k8s.io/coredns/coredns:v1.11.3"
KUBE_PROXY_IMAGE = f"registry.k8s.io/kube-proxy:{KUBERNETES_VERSION}"
KINDNETD_IMAGE = "docker.io/kindest/kindnetd:v20250214-acbabc1a"
PROVISIONER_IMAGE = "docker.io/kindest/local-path-provisioner:v20250214-acbabc1a"
HELPER_IMAGE = "docker.io/kindest/local-path-helper:v20241212-8ac705d0"
ETCD_IMAGE = "registry.k8s.io/etcd:3.5.16-0"
# the pod-template-hash of the add-ons' first ReplicaSets on a real kind v1.32 cluster
COREDNS_HASH = "668d6bf9bc"
PROVISIONER_HASH = "7dc846544d"
# the images of the node image, there before any pull (kind's preloaded images)
PRELOADED = (
    COREDNS_IMAGE,
    ETCD_IMAGE,
    f"registry.k8s.io/kube-apiserver:{KUBERNETES_VERSION}",
    f"registry.k8s.io/kube-controller-manager:{KUBERNETES_VERSION}",
    KUBE_PROXY_IMAGE,
    f"registry.k8s.io/kube-scheduler:{KUBERNETES_VERSION}",
    "registry.k8s.io/pause:3.10",
    KINDNETD_IMAGE,
    PROVISIONER_IMAGE,
    HELPER_IMAGE,
)

COREFILE = """.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
"""

PRIORITY_CLASSES = (
    (
        "system-cluster-critical",
        2000000000,
        "Used for system critical pods that must run in the cluster, but can be moved to "
        "another node if necessary.",
    ),
    (
        "system-node-critical",
        2000001000,
        "Used for system critical pods that must not be moved from their current node.",
    ),
)


def priority_classes() -> list[Object]:
    return [
        {
            "apiVersion": "scheduling.k8s.io/v1",
            "kind": "PriorityClass",
            "metadata": {"name": name},
            "value": value,
            "description": description,
            "preemptionPolicy": "PreemptLowerPriority",
        }
        for name, value, description in PRIORITY_CLASSES
    ]


def service_accounts() -> list[Object]:
    return [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": n, "namespace": ns}}
        for ns, n in (
            ("kube-system", "coredns"),
            ("kube-system", "kindnet"),
            ("kube-system", "kube-proxy"),
            ("local-path-storage", "local-path-provisioner-service-account"),
        )
    ]


def config_maps(cluster: str) -> list[Object]:
    return [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "coredns", "namespace": "kube-system"},
            "data": {"Corefile": COREFILE},
        },
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {
                "name": "kube-proxy",
                "namespace": "kube-system",
                "labels": {"app": "kube-proxy"},
            },
            "data": {
                "config.conf": KUBE_PROXY_CONFIG,
                "kubeconfig.conf": KUBE_PROXY_KUBECONFIG.format(cluster=cluster),
            },
        },
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "local-path-config", "namespace": "local-path-storage"},
            "data": LOCAL_PATH_CONFIG,
        },
    ]


KUBE_PROXY_KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: https://{cluster}-control-plane:6443
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token"""

# kubeadm's KubeProxyConfiguration, as kind's template sets it (UNVERIFIED: the defaulted
# fields are written from kube-proxy's v1alpha1 defaults, not read from a real cluster)
KUBE_PROXY_CONFIG = """apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
bindAddressHardFail: false
clientConnection:
  acceptContentTypes: ""
  burst: 0
  contentType: ""
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
  qps: 0
clusterCIDR: 10.244.0.0/16
configSyncPeriod: 0s
conntrack:
  maxPerCore: 0
  min: null
  tcpBeLiberal: false
  tcpCloseWaitTimeout: null
  tcpEstablishedTimeout: null
  udpStreamTimeout: 0s
  udpTimeout: 0s
detectLocal:
  bridgeInterface: ""
  interfaceNamePrefix: ""
detectLocalMode: ""
enableProfiling: false
healthzBindAddress: ""
hostnameOverride: ""
iptables:
  localhostNodePorts: null
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 1s
  syncPeriod: 0s
ipvs:
  excludeCIDRs: null
  minSyncPeriod: 0s
  scheduler: ""
  strictARP: false
  syncPeriod: 0s
  tcpFinTimeout: 0s
  tcpTimeout: 0s
  udpTimeout: 0s
kind: KubeProxyConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
metricsBindAddress: ""
mode: iptables
nftables:
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
nodePortAddresses: null
oomScoreAdj: null
portRange: ""
showHiddenMetricsForVersion: ""
winkernel:
  enableDSR: false
  forwardHealthCheckVip: false
  networkName: ""
  rootHnsEndpointName: ""
  sourceVip: \"\""""

LOCAL_PATH_CONFIG = {
    "config.json": "{\n"
    '        "nodePathMap":[\n'
    "        {\n"
    '                "node":"DEFAULT_PATH_FOR_NON_LISTED_NODES",\n'
    '                "paths":["/var/local-path-provisioner"]\n'
    "        }\n"
    "        ]\n"
    "}",
    "setup": '#!/bin/sh\nset -eu\nmkdir -m 0777 -p "$VOL_DIR"',
    "teardown": '#!/bin/sh\nset -eu\nrm -rf "$VOL_DIR"',
    "helperPod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: helper-pod\nspec:\n"
    "  priorityClassName: system-node-critical\n  tolerations:\n"
    "    - key: node.kubernetes.io/disk-pressure\n      operator: Exists\n"
    "      effect: NoSchedule\n  containers:\n  - name: helper-pod\n"
    f"    image: {HELPER_IMAGE}\n    imagePullPolicy: IfNotPresent",
}


def coredns_deployment() -> Object:
    labels = {"k8s-app": "kube-dns"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "coredns", "namespace": "kube-system", "labels": dict(labels)},
        "spec": {
            "replicas": 2,
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
            "selector": {"matchLabels": dict(labels)},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "priorityClassName": "system-cluster-critical",
                    "serviceAccountName": "coredns",
                    "affinity": {
                        "podAntiAffinity": {
                            "preferredDuringSchedulingIgnoredDuringExecution": [
                                {
                                    "weight": 100,
                                    "podAffinityTerm": {
                                        "labelSelector": {
                                            "matchExpressions": [
                                                {
                                                    "key": "k8s-app",
                                                    "operator": "In",
                                                    "values": ["kube-dns"],
                                                }
                                            ]
                                        },
                                        "topologyKey": "kubernetes.io/hostname",
                                    },
                                }
                            ]
                        }
                    },
                    "tolerations": [
                        {"key": "CriticalAddonsOnly", "operator": "Exists"},
                        {"key": CONTROL_PLANE_TAINT, "effect": "NoSchedule"},
                    ],
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "containers": [
                        {
                            "name": "coredns",
                            "image": COREDNS_IMAGE,
                            "imagePullPolicy": "IfNotPresent",
                            "resources": {
                                "limits": {"memory": "170Mi"},
                                "requests": {"cpu": "100m", "memory": "70Mi"},
                            },
                            "args": ["-conf", "/etc/coredns/Corefile"],
                            "volumeMounts": [
                                {
                                    "name": "config-volume",
                                    "mountPath": "/etc/coredns",
                                    "readOnly": True,
                                }
                            ],
                            "ports": [
                                {"containerPort": 53, "name": "dns", "protocol": "UDP"},
                                {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                                {"containerPort": 9153, "name": "metrics", "protocol": "TCP"},
                                {
                                    "containerPort": 8080,
                                    "name": "liveness-probe",
                                    "protocol": "TCP",
                                },
                                {
                                    "containerPort": 8181,
                                    "name": "readiness-probe",
                                    "protocol": "TCP",
                                },
                            ],
                            "livenessProbe": {
                                "httpGet": {
                                    "path": "/health",
                                    "port": "liveness-probe",
                                    "scheme": "HTTP",
                                },
                                "initialDelaySeconds": 60,
                                "timeoutSeconds": 5,
                                "successThreshold": 1,
                                "failureThreshold": 5,
                            },
                            "readinessProbe": {
                                "httpGet": {
                                    "path": "/ready",
                                    "port": "readiness-probe",
                                    "scheme": "HTTP",
                                }
                            },
                            "securityContext": {
                                "allowPrivilegeEscalation": False,
                                "capabilities": {
                                    "add": ["NET_BIND_SERVICE"],
                                    "drop": ["ALL"],
                                },
                                "readOnlyRootFilesystem": True,
                            },
                        }
                    ],
                    "dnsPolicy": "Default",
                    "volumes": [
                        {
                            "name": "config-volume",
                            "configMap": {
                                "name": "coredns",
                                "items": [{"key": "Corefile", "path": "Corefile"}],
                            },
                        }
                    ],
                },
            },
        },
    }


def local_path_provisioner_deployment() -> Object:
    labels = {"app": "local-path-provisioner"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "local-path-provisioner", "namespace": "local-path-storage"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": dict(labels)},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "tolerations": [
                        {"key": CONTROL_PLANE_TAINT, "operator": "Equal", "effect": "NoSchedule"},
                        {
                            "key": "node-role.kubernetes.io/master",
                            "operator": "Equal",
                            "effect": "NoSchedule",
                        },
                    ],
                    "serviceAccountName": "local-path-provisioner-service-account",
                    "containers": [
                        {
                            "name": "local-path-provisioner",
                            "image": PROVISIONER_IMAGE,
                            "imagePullPolicy": "IfNotPresent",
                            "command": [
                                "local-path-provisioner",
                                "--debug",
                                "start",
                                "--helper-image",
                                HELPER_IMAGE,
                                "--config",
                                "/etc/config/config.json",
                            ],
                            "volumeMounts": [
                                {"name": "config-volume", "mountPath": "/etc/config/"}
                            ],
                            "env": [
                                {
                                    "name": "POD_NAMESPACE",
                                    "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}},
                                },
                                {"name": "CONFIG_MOUNT_PATH", "value": "/etc/config/"},
                            ],
                        }
                    ],
                    "volumes": [
                        {"name": "config-volume", "configMap": {"name": "local-path-config"}}
                    ],
                },
            },
        },
    }


def kube_proxy_daemonset() -> Object:
    labels = {"k8s-app": "kube-proxy"}
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "kube-proxy", "namespace": "kube-system", "labels": dict(labels)},
        "spec": {
            "selector": {"matchLabels": dict(labels)},
            "updateStrategy": {"type": "RollingUpdate"},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "priorityClassName": "system-node-critical",
                    "containers": [
                        {
                            "name": "kube-proxy",
                            "image": KUBE_PROXY_IMAGE,
                            "imagePullPolicy": "IfNotPresent",
                            "command": [
                                "/usr/local/bin/kube-proxy",
                                "--config=/var/lib/kube-proxy/config.conf",
                                "--hostname-override=$(NODE_NAME)",
                            ],
                            "securityContext": {"privileged": True},
                            "volumeMounts": [
                                {"mountPath": "/var/lib/kube-proxy", "name": "kube-proxy"},
                                {
                                    "mountPath": "/run/xtables.lock",
                                    "name": "xtables-lock",
                                    "readOnly": False,
                                },
                                {
                                    "mountPath": "/lib/modules",
                                    "name": "lib-modules",
                                    "readOnly": True,
                                },
                            ],
                            "env": [
                                {
                                    "name": "NODE_NAME",
                                    "valueFrom": {
                                        "fieldRef": {
                                            "apiVersion": "v1",
                                            "fieldPath": "spec.nodeName",
                                        }
                                    },
                                }
                            ],
                        }
                    ],
                    "hostNetwork": True,
                    "serviceAccountName": "kube-proxy",
                    "volumes": [
                        {"name": "kube-proxy", "configMap": {"name": "kube-proxy"}},
                        {
                            "name": "xtables-lock",
                            "hostPath": {"path": "/run/xtables.lock", "type": "FileOrCreate"},
                        },
                        {"name": "lib-modules", "hostPath": {"path": "/lib/modules"}},
                    ],
                    "tolerations": [
                        {"key": "CriticalAddonsOnly", "operator": "Exists"},
                        {"operator": "Exists"},
                    ],
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                },
            },
        },
    }


def kindnet_daemonset() -> Object:
    labels = {"tier": "node", "app": "kindnet", "k8s-app": "kindnet"}
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "kindnet", "namespace": "kube-system", "labels": dict(labels)},
        "spec": {
            "selector": {"matchLabels": {"app": "kindnet"}},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "hostNetwork": True,
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "tolerations": [{"operator": "Exists"}],
                    "serviceAccountName": "kindnet",
                    "containers": [
                        {
                            "name": "kindnet-cni",
                            "image": KINDNETD_IMAGE,
                            "env": [
                                {
                                    "name": "HOST_IP",
                                    "valueFrom": {"fieldRef": {"fieldPath": "status.hostIP"}},
                                },
                                {
                                    "name": "POD_IP",
                                    "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}},
                                },
                                {"name": "POD_SUBNET", "value": POD_SUBNET},
                            ],
                            "volumeMounts": [
                                {"name": "cni-cfg", "mountPath": "/etc/cni/net.d"},
                                {
                                    "name": "xtables-lock",
                                    "mountPath": "/run/xtables.lock",
                                    "readOnly": False,
                                },
                                {
                                    "name": "lib-modules",
                                    "mountPath": "/lib/modules",
                                    "readOnly": True,
                                },
                            ],
                            "resources": {
                                "requests": {"cpu": "100m", "memory": "50Mi"},
                                "limits": {"cpu": "100m", "memory": "50Mi"},
                            },
                            "securityContext": {
                                "privileged": False,
                                "capabilities": {"add": ["NET_RAW", "NET_ADMIN"]},
                            },
                        }
                    ],
                    "volumes": [
                        {"name": "cni-cfg", "hostPath": {"path": "/etc/cni/net.d"}},
                        {
                            "name": "xtables-lock",
                            "hostPath": {"path": "/run/xtables.lock", "type": "FileOrCreate"},
                        },
                        {"name": "lib-modules", "hostPath": {"path": "/lib/modules"}},
                    ],
                },
            },
        },
    }


def static_pods(node: str, ip: str) -> list[Object]:
    """The control plane's static pods as their mirror pods show them (kubeadm's manifests:
    hostNetwork, system-node-critical, the component label and tier: control-plane)."""
    version = KUBERNETES_VERSION
    certs = "/etc/kubernetes/pki"
    components: list[tuple[str, str, list[str], dict[str, str], Object]] = [
        (
            "etcd",
            ETCD_IMAGE,
            [
                "etcd",
                f"--advertise-client-urls=https://{ip}:2379",
                f"--cert-file={certs}/etcd/server.crt",
                "--client-cert-auth=true",
                "--data-dir=/var/lib/etcd",
                "--experimental-initial-corrupt-check=true",
                "--experimental-watch-progress-notify-interval=5s",
                f"--initial-advertise-peer-urls=https://{ip}:2380",
                f"--initial-cluster={node}=https://{ip}:2380",
                f"--key-file={certs}/etcd/server.key",
                f"--listen-client-urls=https://127.0.0.1:2379,https://{ip}:2379",
                "--listen-metrics-urls=http://127.0.0.1:2381",
                f"--listen-peer-urls=https://{ip}:2380",
                f"--name={node}",
                f"--peer-cert-file={certs}/etcd/peer.crt",
                "--peer-client-cert-auth=true",
                f"--peer-key-file={certs}/etcd/peer.key",
                f"--peer-trusted-ca-file={certs}/etcd/ca.crt",
                "--snapshot-count=10000",
                f"--trusted-ca-file={certs}/etcd/ca.crt",
            ],
            {"cpu": "100m", "memory": "100Mi"},
            {
                "annotations": {
                    "kubeadm.kubernetes.io/etcd.advertise-client-urls": f"https://{ip}:2379"
                },
                "probe": ("127.0.0.1", 2381, "/livez", "HTTP", "/readyz"),
            },
        ),
        (
            "kube-apiserver",
            f"registry.k8s.io/kube-apiserver:{version}",
            [
                "kube-apiserver",
                f"--advertise-address={ip}",
                "--allow-privileged=true",
                "--authorization-mode=Node,RBAC",
                f"--client-ca-file={certs}/ca.crt",
                "--enable-admission-plugins=NodeRestriction",
                "--enable-bootstrap-token-auth=true",
                f"--etcd-cafile={certs}/etcd/ca.crt",
                f"--etcd-certfile={certs}/apiserver-etcd-client.crt",
                f"--etcd-keyfile={certs}/apiserver-etcd-client.key",
                "--etcd-servers=https://127.0.0.1:2379",
                f"--kubelet-client-certificate={certs}/apiserver-kubelet-client.crt",
                f"--kubelet-client-key={certs}/apiserver-kubelet-client.key",
                "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
                f"--proxy-client-cert-file={certs}/front-proxy-client.crt",
                f"--proxy-client-key-file={certs}/front-proxy-client.key",
                "--requestheader-allowed-names=front-proxy-client",
                f"--requestheader-client-ca-file={certs}/front-proxy-ca.crt",
                "--requestheader-extra-headers-prefix=X-Remote-Extra-",
                "--requestheader-group-headers=X-Remote-Group",
                "--requestheader-username-headers=X-Remote-User",
                "--runtime-config=",
                "--secure-port=6443",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                f"--service-account-key-file={certs}/sa.pub",
                f"--service-account-signing-key-file={certs}/sa.key",
                f"--service-cluster-ip-range={SERVICE_SUBNET}",
                f"--tls-cert-file={certs}/apiserver.crt",
                f"--tls-private-key-file={certs}/apiserver.key",
            ],
            {"cpu": "250m"},
            {
                "annotations": {
                    "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint": f"{ip}:6443"
                },
                "probe": (ip, 6443, "/livez", "HTTPS", "/readyz"),
            },
        ),
        (
            "kube-controller-manager",
            f"registry.k8s.io/kube-controller-manager:{version}",
            [
                "kube-controller-manager",
                "--allocate-node-cidrs=true",
                "--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf",
                "--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf",
                "--bind-address=127.0.0.1",
                f"--client-ca-file={certs}/ca.crt",
                f"--cluster-cidr={POD_SUBNET}",
                f"--cluster-name={node.removesuffix('-control-plane')}",
                f"--cluster-signing-cert-file={certs}/ca.crt",
                f"--cluster-signing-key-file={certs}/ca.key",
                "--controllers=*,bootstrapsigner,tokencleaner",
                "--enable-hostpath-provisioner=true",
                "--kubeconfig=/etc/kubernetes/controller-manager.conf",
                "--leader-elect=true",
                f"--requestheader-client-ca-file={certs}/front-proxy-ca.crt",
                f"--root-ca-file={certs}/ca.crt",
                f"--service-account-private-key-file={certs}/sa.key",
                f"--service-cluster-ip-range={SERVICE_SUBNET}",
                "--use-service-account-credentials=true",
            ],
            {"cpu": "200m"},
            {"annotations": {}, "probe": ("127.0.0.1", 10257, "/healthz", "HTTPS", None)},
        ),
        (
            "kube-scheduler",
            f"registry.k8s.io/kube-scheduler:{version}",
            [
                "kube-scheduler",
                "--authentication-kubeconfig=/etc/kubernetes/scheduler.conf",
                "--authorization-kubeconfig=/etc/kubernetes/scheduler.conf",
                "--bind-address=127.0.0.1",
                "--kubeconfig=/etc/kubernetes/scheduler.conf",
                "--leader-elect=true",
            ],
            {"cpu": "100m"},
            {"annotations": {}, "probe": ("127.0.0.1", 10259, "/livez", "HTTPS", "/readyz")},
        ),
    ]
    pods = []
    for component, image, command, requests, extra in components:
        host, port, live, scheme, ready = extra["probe"]

        def probe(path: str, failures: int, host: str = host, port: int = port,
                  scheme: str = scheme) -> Object:  # fmt: skip
            return {
                "failureThreshold": failures,
                "httpGet": {"host": host, "path": path, "port": port, "scheme": scheme},
                "initialDelaySeconds": 10,
                "periodSeconds": 10,
                "timeoutSeconds": 15,
            }

        container: Object = {
            "command": command,
            "image": image,
            "imagePullPolicy": "IfNotPresent",
            "livenessProbe": probe(live, 8),
            "name": component,
            "resources": {"requests": requests},
            "startupProbe": probe(live, 24),
        }
        if ready:
            readiness = probe(ready, 3)
            readiness["periodSeconds"] = 1 if component == "kube-apiserver" else 5
            readiness.pop("initialDelaySeconds")
            container["readinessProbe"] = readiness
        annotations = {
            **extra["annotations"],
            "kubernetes.io/config.source": "file",
        }
        pods.append(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {
                    "name": f"{component}-{node}",
                    "namespace": "kube-system",
                    "labels": {"component": component, "tier": "control-plane"},
                    "annotations": annotations,
                },
                "spec": {
                    "containers": [container],
                    "hostNetwork": True,
                    "nodeName": node,
                    "priority": 2000001000,
                    "priorityClassName": "system-node-critical",
                    "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
                    "tolerations": [{"effect": "NoExecute", "operator": "Exists"}],
                    "enableServiceLinks": True,
                    "preemptionPolicy": "PreemptLowerPriority",
                },
            }
        )
    return pods
