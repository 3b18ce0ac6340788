"""Entry point: python -m dropscribe_stages <stage>  (one request on stdin, events on fd 3)."""

from __future__ import annotations

import importlib
import sys

from .errors import EXIT_BUG
from .protocol import serve

STAGES = ("decode", "separate", "vad", "transcribe", "align")


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in STAGES:
        print(f"usage: python -m dropscribe_stages {{{','.join(STAGES)}}}", file=sys.stderr)
        return EXIT_BUG
    stage = argv[0]
    module = importlib.import_module(f".{stage}", __package__)
    return serve(stage, module.run)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
