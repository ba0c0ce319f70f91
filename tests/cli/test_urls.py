"""`-f URL`: manifests fetched over HTTP as kubectl fetches them, kubectl's errors when they
cannot be, and the website's examples kubesim ships when the network is down. Every server
here runs on loopback in the test; "offline" is a port nobody listens on."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kubesim.cli import urls
from tests.conftest import Kubesim

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: fetched\nspec:\n  containers:\n  - name: c\n    image: busybox:1.28.4\n"  # noqa: E501


class Site:
    """A web server with a few paths, counting the requests it gets."""

    def __init__(self) -> None:
        self.pages = {"/app.yaml": (200, POD), "/broken.yaml": (500, "oops")}
        self.requests: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append(self.path)
                status, body = site.pages.get(self.path, (404, "404 page not found\n"))
                self.send_response(status)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site()
    thread = threading.Thread(target=served.server.serve_forever, daemon=True)
    thread.start()
    yield served
    served.server.shutdown()
    served.server.server_close()


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port that refuses connections while the test runs."""
    with socket.socket() as unheard:
        unheard.bind(("127.0.0.1", 0))
        yield unheard.getsockname()[1]


def test_a_manifest_is_fetched(kubesim: Kubesim, site: Site) -> None:
    result = kubesim(f"apply -f {site.url}/app.yaml")
    assert (result.code, result.out) == (0, "pod/fetched created\n")
    assert site.requests == ["/app.yaml"]


def test_a_missing_page_is_not_asked_again(kubesim: Kubesim, site: Site) -> None:
    result = kubesim(f"create -f {site.url}/nope.yaml")
    assert (result.code, result.err) == (
        1,
        f'error: unable to read URL "{site.url}/nope.yaml", server reported 404 Not Found, '
        "status code=404\n",
    )
    assert site.requests == ["/nope.yaml"]
    assert kubesim("get pods").err == "No resources found in default namespace.\n"


def test_a_server_error_is_tried_three_times(kubesim: Kubesim, site: Site) -> None:
    result = kubesim(f"apply -f {site.url}/broken.yaml")
    assert result.err == (
        f'error: unable to read URL "{site.url}/broken.yaml", server reported 500 Internal '
        "Server Error, status code=500\n"
    )
    assert site.requests == ["/broken.yaml"] * 3


def test_offline_without_a_copy_says_so(kubesim: Kubesim, closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}/app.yaml"
    result = kubesim(f"apply -f {url}")
    assert result.code == 1
    assert result.err == (
        f"The connection to the server 127.0.0.1:{closed_port} was refused - did you specify the "
        f"right host or port?\nkubesim has no offline copy of {url} (it keeps "
        "https://k8s.io/examples/application/web/web-parallel.yaml, "
        "https://k8s.io/examples/application/web/web.yaml, "
        "https://k8s.io/examples/controllers/nginx-deployment.yaml)\n"
    )


def test_offline_the_shipped_copy_stands_in(
    kubesim: Kubesim, closed_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the website, unreachable: its examples' URLs fall back on kubesim's copies
    website = f"http://127.0.0.1:{closed_port}/examples/"
    monkeypatch.setattr(urls, "EXAMPLE_PREFIXES", [website])
    result = kubesim(f"apply -f {website}controllers/nginx-deployment.yaml")
    assert (result.code, result.out) == (0, "deployment.apps/nginx-deployment created\n")


def test_a_server_that_never_answers_times_out() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        with pytest.raises(urls.Unreachable) as caught:
            urls.fetch(f"http://127.0.0.1:{port}/x.yaml", attempts=2, pause=0, timeout=0.2)
    assert caught.value.message == (
        f"Unable to connect to the server: dial tcp 127.0.0.1:{port}: i/o timeout"
    )
