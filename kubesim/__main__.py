"""python -m kubesim"""

from kubesim.cli import entry

entry()
