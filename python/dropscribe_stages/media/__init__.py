"""Audio in: finding ffmpeg, probing and choosing streams, levels, decoding to WAV, reading WAV samples."""
