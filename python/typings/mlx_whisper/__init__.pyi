# What dropscribe_stages uses of mlx-whisper (untyped): transcribe, which answers a dict with text, segments, language.
from typing import Any

import numpy as np
import numpy.typing as npt

def transcribe(audio: npt.NDArray[np.float32], **kwargs: Any) -> dict[str, Any]: ...
