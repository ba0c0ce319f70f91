"""kubectl's part: the kubesim command line."""


def entry() -> None:
    """Console-script entry point: Ctrl-C while Python is still importing exits quietly too."""
    import sys

    try:
        from kubesim.cli.app import run

        run()
    except KeyboardInterrupt:
        sys.exit(130)
