"""Model files: the bundled and downloaded Whisper models, the Hugging Face hub download, MLX weights."""
