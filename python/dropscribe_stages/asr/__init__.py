"""The ASR backends of the transcribe stage: faster_whisper (CTranslate2, any machine) and mlx (Apple Silicon)."""
