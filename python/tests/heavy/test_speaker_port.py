"""The numpy speaker encoder against the same weights in torch's own LSTM (python/.venv-heavy, where torch is)."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs the heavy environment (npm run test:heavy)")

from conftest import CORPUS  # noqa: E402

from dropscribe_stages.media.audio import read_wav  # noqa: E402
from dropscribe_stages.speakers.encoder import SpeakerEncoder, power_mel, volume_gain  # noqa: E402
from dropscribe_stages.speakers.model import load_encoder_weights, pretrained_path  # noqa: E402


def torch_encoder():
    state = torch.load(pretrained_path(), map_location="cpu", weights_only=False)["model_state"]
    lstm = torch.nn.LSTM(40, 256, 3, batch_first=True)
    linear = torch.nn.Linear(256, 256)
    lstm.load_state_dict({k[5:]: v for k, v in state.items() if k.startswith("lstm.")})
    linear.load_state_dict({k[7:]: v for k, v in state.items() if k.startswith("linear.")})

    def embed(mels: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            _, (hidden, _) = lstm(torch.from_numpy(mels))
            raw = torch.relu(linear(hidden[-1]))
            return (raw / torch.norm(raw, dim=1, keepdim=True)).numpy()

    return embed


def test_the_port_matches_torch_on_real_speech():
    audio = read_wav(CORPUS / "en_librispeech_1272-128104-0000.wav")
    mel = power_mel(audio * volume_gain(audio))
    windows = np.stack([mel[a : a + 160] for a in range(0, len(mel) - 160, 50)]).astype(np.float32)
    ours = SpeakerEncoder(load_encoder_weights()).embed(windows)
    theirs = torch_encoder()(windows)
    cosine = np.sum(ours * theirs, axis=1)
    assert cosine.min() >= 0.999, cosine
