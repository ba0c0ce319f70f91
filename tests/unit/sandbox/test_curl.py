"""curl's option parsing and --write-out, as tool_getparam.c and tool_writeout.c do them."""

from __future__ import annotations

from kubesim.sandbox.builtins import curl
from kubesim.sandbox.container import HttpResponse


def test_short_options_cluster_and_take_their_argument_from_the_rest() -> None:
    options = curl.parse(["-sSo/dev/null", "-w", "%{http_code}", "-L", "http://web"])
    assert not isinstance(options, str)
    assert (options.flags, options.output, options.writeout) == ("sSL", "/dev/null", "%{http_code}")
    assert options.urls == ["http://web"]
    assert curl.parse(["-o"]) == "curl: option -o: requires parameter\n"


def test_write_out_expands_variables_escapes_and_percent() -> None:
    transfer = curl.Transfer(
        url="http://10.244.1.2/", response=HttpResponse(200, "hello", "OK",
        (("Content-Type", "text/plain"),)), remote_ip="10.244.1.2", remote_port=80,
        size_download=5, micros=1225, lookup=25,
    )  # fmt: skip
    values = curl.variables(transfer)
    assert values["http_code"] == "200"
    assert values["time_total"] == "0.001225"
    assert values["size_download"] == "5"
    assert values["content_type"] == "text/plain"


def test_a_failed_transfer_reports_code_000() -> None:
    values = curl.variables(curl.Transfer(url="http://x/", exit_code=7, micros=205, lookup=25))
    assert (values["http_code"], values["time_total"], values["exitcode"]) == (
        "000",
        "0.000205",
        "7",
    )
