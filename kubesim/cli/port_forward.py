"""kubectl port-forward: local ports that lead to a pod's simulated server.

As kubectl (cmd/portforward, client-go tools/portforward): the pod is the one named, or the
one a workload or Service stands for, with the Service's ports turned into its pods' ports; it
must be Running. Each port listens on 127.0.0.1 and ::1 (or the --address given) and says
`Forwarding from ...`; each connection says `Handling connection for PORT` and is answered
by whatever listens on the pod's port, read from the cluster as it is at that moment (the pod
may change while the forward runs); the cluster's lock is never held while waiting. A
connection the pod refuses ends the session, as it does for kubectl 1.32; Ctrl-C ends it
quietly.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kubesim.api.errors import UsageError
from kubesim.cli import options

if TYPE_CHECKING:
    import socket

    from kubesim.kubectl.portforward import ForwardedPort, ListenAddress

Object = dict[str, Any]
_USAGE_HINT = "\nSee 'kubesim port-forward -h' for help and examples"
KEEPALIVE_SECONDS = 65.0  # nginx's keepalive_timeout
HANDLE_ERROR_AT = "portforward.go:424"  # client-go v0.32's runtime.HandleError in handleConnection


def port_forward(
    args: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="TYPE/NAME [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]"
        ),
    ] = None,
    namespace: options.Namespace = None,
    address: Annotated[
        list[str] | None,
        typer.Option(
            "--address",
            help="Addresses to listen on (comma separated): IP addresses or localhost, which "
            "is 127.0.0.1 and ::1.",
        ),
    ] = None,
    pod_running_timeout: Annotated[
        str,
        typer.Option("--pod-running-timeout", help="How long to wait for a workload's pod."),
    ] = "1m0s",
) -> None:
    """Forward one or more local ports to a pod.

    Example: kubesim port-forward pod/web-0 8080:80
    """
    from kubesim.kubectl import portforward as kubectl_pf

    words = list(args or [])
    timeout = options.duration_flag(pod_running_timeout, "pod-running-timeout", "port-forward")
    if len(words) < 2:
        raise UsageError("TYPE/NAME and list of ports are required for port-forward" + _USAGE_HINT)
    if timeout <= 0:
        raise UsageError("--pod-running-timeout must be higher than zero" + _USAGE_HINT)
    ns = options.resolve_namespace(namespace)
    obj, pod = _objects(words[0], ns)
    if obj.get("kind") == "Service":
        kubectl_pf.check_udp_ports(words[1:], obj, "Service")
        ports = kubectl_pf.translate_service_ports(words[1:], obj, pod)
    else:
        kubectl_pf.check_udp_ports(words[1:], pod, "Pod")
        ports = kubectl_pf.convert_pod_named_ports(words[1:], pod)
    pod = _running(pod)
    addresses = [a for given in (address or ["localhost"]) for a in given.split(",")]
    forwarder = _Forwarder(
        pod, kubectl_pf.parse_addresses(addresses), kubectl_pf.parse_ports(ports)
    )
    forwarder.run()


def _objects(reference: str, namespace: str) -> tuple[Object, Object]:
    """The object named (a pod by default) and the pod it leads to (AttachablePodForObject)."""
    from kubesim.api import kinds
    from kubesim.cli.exec_ import pod_for
    from kubesim.engine import session

    server = session.reading()
    type_, slash, name = reference.partition("/")
    kind = kinds.resolve(type_) if slash else kinds.resolve("pods")
    obj = server.get(kind, namespace, name if slash else reference)
    if kind.kind == "Pod":
        return obj, obj
    pod = server.get(kinds.resolve("pods"), namespace, pod_for(reference, namespace))
    return obj, pod


def _running(pod: Object) -> Object:
    """RunPortForward reads the pod again: it must be Running."""
    from kubesim.api import kinds
    from kubesim.engine import session

    meta = pod["metadata"]
    current = session.reading().get(kinds.resolve("pods"), meta["namespace"], meta["name"])
    phase = (current.get("status") or {}).get("phase", "")
    if phase != "Running":
        raise UsageError(
            f"unable to forward port because pod is not running. Current status={phase}"
        )
    return current


class _ListenFailed(Exception):
    """A port could not be listened on (listenOnPort's error)."""


class _Forwarder:
    """client-go's PortForwarder over sockets on this machine."""

    def __init__(
        self, pod: Object, addresses: list[ListenAddress], ports: list[ForwardedPort]
    ) -> None:
        import threading

        self.pod = pod
        self.addresses = addresses
        self.ports = ports
        self.listeners: list[socket.socket] = []
        self.lost = threading.Event()
        self.stopping = threading.Event()
        self.output = threading.Lock()

    def run(self) -> None:
        """Listen, then serve until Ctrl-C (quietly) or a failed connection (an error)."""
        _catch_interrupts()
        try:
            self._listen()
            try:
                while not self.lost.wait(0.2):
                    pass
            except KeyboardInterrupt:
                return
            raise UsageError("lost connection to pod")
        finally:
            self.stopping.set()
            for listener in self.listeners:
                listener.close()

    def _say(self, text: str, stream: Any = None) -> None:
        with self.output:
            out = stream or sys.stdout
            out.write(text)
            out.flush()

    def _listen(self) -> None:
        """forward(): every port on every address; an error only if no port could listen."""
        listening = False
        for port in self.ports:
            try:
                self._listen_on_port(port)
                listening = True
            except _ListenFailed as err:
                self._say(f"Unable to listen on port {port.local}: {err}\n", sys.stderr)
        if not listening:
            shown = " ".join(str(p) for p in self.ports)
            raise UsageError(f"unable to listen on any of the requested ports: [{shown}]")

    def _listen_on_port(self, port: ForwardedPort) -> None:
        """listenOnPort: localhost fails only if both its addresses do; an IP given fails the
        port by itself."""
        errors: list[str] = []
        failed = {"all": 0, "any": 0}
        succeeded = {"all": 0, "any": 0}
        for address in self.addresses:
            try:
                self._listener(address, port)
                succeeded[address.failure_mode] += 1
            except OSError as err:
                errors.append(str(err))
                failed[address.failure_mode] += 1
        if (succeeded["all"] == 0 and failed["all"] > 0) or failed["any"] > 0:
            raise _ListenFailed(
                f"Listeners failed to create with the following errors: [{' '.join(errors)}]"
            )

    def _listener(self, address: ListenAddress, port: ForwardedPort) -> None:
        """getListener: listen (SO_REUSEADDR, as Go does), learn a random port, say so."""
        import socket
        import threading

        from kubesim.kubectl.portforward import join_host_port

        family = socket.AF_INET if address.protocol == "tcp4" else socket.AF_INET6
        where = f"{address.protocol} {join_host_port(address.address, port.local)}"
        try:
            listener = socket.socket(family, socket.SOCK_STREAM)
        except OSError as err:
            raise OSError(_listen_error(where, "socket", err)) from None
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            listener.bind((address.address, port.local))
            listener.listen(128)
        except OSError as err:
            listener.close()
            raise OSError(_listen_error(where, "bind", err)) from None
        port.local = listener.getsockname()[1]
        listener.settimeout(0.2)
        self.listeners.append(listener)
        shown = join_host_port(address.address, port.local)
        self._say(f"Forwarding from {shown} -> {port.remote}\n")
        threading.Thread(target=self._accept, args=(listener, port), daemon=True).start()

    def _accept(self, listener: socket.socket, port: ForwardedPort) -> None:
        """waitForConnection: each connection handled on its own thread."""
        import threading

        while not self.stopping.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # the listener was closed
            connection.settimeout(KEEPALIVE_SECONDS)
            threading.Thread(target=self._handle, args=(connection, port), daemon=True).start()

    def _handle(self, connection: socket.socket, port: ForwardedPort) -> None:
        """handleConnection: the kubelet dials the pod's port, then the requests are
        answered one by one from the cluster as it is when each arrives."""
        from kubesim.engine.streaming import PodConnection

        self._say(f"Handling connection for {port.local}\n")
        with connection:
            pod = PodConnection(self.pod, port.remote)
            problem = pod.refusal()
            if problem is not None:
                self._lose(f"an error occurred forwarding {port.local} -> {port.remote}: {problem}")
                return
            try:
                while not self.stopping.is_set() and not pod.closed:
                    try:
                        chunk = connection.recv(65536)
                    except TimeoutError:
                        return
                    if not chunk:
                        return
                    answer = pod.feed(chunk)
                    if answer:
                        connection.sendall(answer)
            except OSError:
                pass  # the client went away

    def _lose(self, message: str) -> None:
        """runtime.HandleError's klog line, then the session ends (ErrLostConnectionToPod)."""
        from kubesim.api.errors import klog_line

        quoted = message.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        line = klog_line("E", HANDLE_ERROR_AT, f'"Unhandled Error" err="{quoted}"')
        self._say(line + "\n", sys.stderr)
        self.lost.set()


def _catch_interrupts() -> None:
    """Ctrl-C stops the forward even when the shell started it with SIGINT ignored (a
    background job), as Go's signal.Notify takes the signal back."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _listen_error(where: str, call: str, err: OSError) -> str:
    """Go's text for a failed net.Listen, as getListener wraps it."""
    reason = (err.strerror or str(err)).lower()
    return f"unable to create listener: Error listen {where}: {call}: {reason}"


def register(app: typer.Typer) -> None:
    app.command("port-forward")(port_forward)
