"""kubectl's part: the kubesim command line."""


def entry() -> None:
    """Console-script entry point: Ctrl-C while Python is still importing exits quietly too."""
    import gc
    import sys

    # A command decodes thousands of API objects (plain dicts and lists, no reference cycles)
    # and then ends: the cyclic collector's full passes over them would cost more than the
    # decoding itself. It still runs, rarely, for the long-lived commands (watch, serve).
    gc.set_threshold(50_000, 50, 100)
    try:
        from kubesim.cli.app import run

        run()
    except KeyboardInterrupt:
        sys.exit(130)
