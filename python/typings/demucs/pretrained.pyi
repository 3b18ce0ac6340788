from pathlib import Path
from typing import Any

def get_model(name: str, repo: Path | None = None) -> Any: ...
