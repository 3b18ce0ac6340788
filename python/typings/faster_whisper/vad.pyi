from typing import Any

class SileroVADModel:
    session: Any  # an onnxruntime.InferenceSession

def get_vad_model() -> SileroVADModel: ...
