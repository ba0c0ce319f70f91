"""The wire protocols the server speaks: WebSocket frames, SPDY/3.1 frames and header blocks,
a terminal's line discipline, API paths and discovery documents."""

from __future__ import annotations

import io
import struct
import zlib

import pytest

from kubesim.serve import discovery, paths, spdy, tty, websocket


def _client_frame(payload: bytes, opcode: int = websocket.BINARY, mask: bytes = b"abcd") -> bytes:
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    if len(payload) < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | len(payload))
    else:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, len(payload))
    return head + mask + masked


def test_websocket_reads_masked_messages_answers_pings_and_closes() -> None:
    data = (
        _client_frame(b"\x00ls\r")
        + _client_frame(b"hi", websocket.PING)
        + _client_frame(b"x" * 300)
        + _client_frame(struct.pack("!H", 1000), websocket.CLOSE)
    )
    out = io.BytesIO()
    ws = websocket.WebSocket(io.BytesIO(data), out)
    assert ws.receive() == b"\x00ls\r"
    assert ws.receive() == b"x" * 300
    assert ws.receive() is None
    # the pong carries the ping's payload; the close is answered with the same code
    assert out.getvalue() == b"\x8a\x02hi" + b"\x88\x02" + struct.pack("!H", 1000)
    with pytest.raises(websocket.Closed):
        ws.send(b"late")


def test_websocket_accept_key_is_rfc_6455s() -> None:
    assert websocket.accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def test_spdy_dictionary_and_the_header_block_kubectl_sends() -> None:
    assert len(spdy.DICTIONARY) == 1423
    assert zlib.adler32(spdy.DICTIONARY) == 0xE3C6A7C2  # the dictionary id in kubectl's blocks
    # the SYN_STREAM kubectl port-forward sent first (recorded), split across reads
    frame = bytes.fromhex(
        "800300010000003d000000010000000000"
        "0078f9e3c6a7c202253a703a2b294a4dcc851625aca9a0808614cb45a024cc6461c0c0c0c0590489c44c"
        "50e2663400000000ffff"
    )
    reader = spdy.Reader()
    assert reader.feed(frame[:7]) == []
    [syn] = reader.feed(frame[7:])
    assert (syn.kind, syn.stream_id) == (spdy.SYN_STREAM, 1)
    assert syn.headers == {"streamtype": "error", "port": "80", "requestid": "0"}


def test_spdy_frames_the_server_writes_read_back() -> None:
    writer, reader = spdy.Writer(), spdy.Reader()
    data = writer.syn_reply(3, {"a": "b"}) + writer.data(3, b"hello", fin=True) + writer.ping(7)
    reply, chunk, ping = reader.feed(data)
    assert (reply.kind, reply.stream_id, reply.headers) == (spdy.SYN_REPLY, 3, {"a": "b"})
    assert (chunk.kind, chunk.stream_id, chunk.data, chunk.fin) == (0, 3, b"hello", True)
    assert (ping.kind, ping.value) == (spdy.PING, 7)


def test_a_tty_echoes_edits_and_interrupts() -> None:
    echoed: list[str] = []
    line = tty.LineDiscipline(echoed.append)
    line.feed("lx\x7fs\r\x1b[A")
    assert line.take() == "ls\n"
    line.feed("echo\x03")
    assert "".join(echoed) == "lx\b \bs\r\necho^C"
    with pytest.raises(tty.Interrupted):
        line.take()
    line.feed("\x04")
    assert line.take() is None
    assert tty.onlcr("a\nb\r\n") == "a\r\nb\r\n"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v1/namespaces/default/pods", ("pods", "default", None, None)),
        ("/api/v1/namespaces/default/pods/web-0/exec", ("pods", "default", "web-0", "exec")),
        ("/api/v1/pods", ("pods", None, None, None)),
        ("/api/v1/namespaces/kube-system", ("namespaces", None, "kube-system", None)),
        ("/api/v1/namespaces/x/status", ("namespaces", None, "x", "status")),
        (
            "/apis/apps/v1/namespaces/d/statefulsets/web/scale",
            ("statefulsets", "d", "web", "scale"),
        ),
        ("/api/v1/nodes/kubesim-worker", ("nodes", None, "kubesim-worker", None)),
    ],
)
def test_resource_paths(path: str, expected: tuple[object, ...]) -> None:
    target = paths.parse(path)
    assert target is not None
    assert (target.resource, target.namespace, target.name, target.subresource) == expected


@pytest.mark.parametrize(
    "path",
    ["/api/v1/pods/web-0", "/api/v1/namespaces/d/nodes", "/apis/networking.k8s.io/v1/ingresses",
     "/api/v1/namespaces/d/pods/web-0/bogus", "/apis/apps/v1"],
)  # fmt: skip
def test_paths_that_name_no_resource(path: str) -> None:
    assert paths.parse(path) is None


def test_discovery_is_aggregated_only_when_asked_for() -> None:
    kubectl_accept = (
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
        "application/json"
    )
    assert discovery.wants_aggregated(kubectl_accept) == "v2"
    assert discovery.wants_aggregated("application/json, */*") is None
    core = discovery.aggregated(True)
    pods = next(r for r in core["items"][0]["versions"][0]["resources"] if r["resource"] == "pods")
    assert pods["shortNames"] == ["po"] and pods["categories"] == ["all"]
    assert {s["subresource"] for s in pods["subresources"]} >= {"exec", "log", "portforward"}
    groups = [item["metadata"]["name"] for item in discovery.aggregated(False)["items"]]
    assert groups == ["apps", "batch", "storage.k8s.io", "scheduling.k8s.io", "coordination.k8s.io",
                      "discovery.k8s.io"]  # fmt: skip
    legacy = discovery.resource_list("apps", "v1")
    assert legacy is not None
    names = [r["name"] for r in legacy["resources"]]
    assert "deployments/scale" in names and "statefulsets/status" in names
