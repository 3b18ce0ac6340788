"""The contract shared with the TypeScript side, as generated from src/core/contract.ts (contract.schema.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# The schema stays at the package root, where `npm run contract` writes it.
SCHEMA: dict[str, Any] = json.loads((Path(__file__).parent.parent / "contract.schema.json").read_text())
EXIT_CODES: dict[str, int] = SCHEMA["exitCodes"]
ERROR_CODES: dict[str, dict[str, Any]] = SCHEMA["errorCodes"]
STAGE_NAMES: tuple[str, ...] = tuple(SCHEMA["stageNames"])
# Stages that may stay loaded between requests (warm workers).
WARM_STAGES: tuple[str, ...] = tuple(SCHEMA["warmStages"])
# The rate of the WAV files the stages pass on (decode writes it, the others read it).
SAMPLE_RATE: int = SCHEMA["sampleRate"]
