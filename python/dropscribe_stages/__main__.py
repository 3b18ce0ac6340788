"""Entry point: python -m dropscribe_stages <stage>  (one request on stdin, events on fd 3)."""

from __future__ import annotations

import importlib
import os
import sys

from .runtime.contract import STAGE_NAMES, WARM_STAGES
from .runtime.errors import EXIT_BUG
from .runtime.protocol import serve, serve_warm

STAGES = STAGE_NAMES


def main(argv: list[str]) -> int:
    warm = "--warm" in argv
    args = [a for a in argv if a != "--warm"]
    if len(args) != 1 or args[0] not in STAGES or (warm and args[0] not in WARM_STAGES):
        print(
            f"usage: python -m dropscribe_stages {{{','.join(STAGES)}}} [--warm ({', '.join(WARM_STAGES)})]",
            file=sys.stderr,
        )
        return EXIT_BUG
    stage = args[0]
    os.umask(0o077)  # a stage writes dropscribe's work files (audio, transcripts): private, as the data folder
    if stage == "diarize":
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: threads only contend (before numpy loads)
    module = importlib.import_module(f".{stage}", __package__)
    if warm and hasattr(module, "prepare"):
        module.prepare()  # import the heavy libraries now, while the worker waits for its first request
    return serve_warm(stage, module.run) if warm else serve(stage, module.run)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
