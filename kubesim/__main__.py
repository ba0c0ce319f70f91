"""python -m kubesim"""

from kubesim.cli.app import run

run()
