"""The transcribe stage's parts: its backends (faster_whisper: CTranslate2, any machine; mlx: Apple Silicon;
openai_server), segments and their quality, committed segments, the language checks and languages per turn."""
