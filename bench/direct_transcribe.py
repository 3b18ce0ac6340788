"""Baseline for the benchmarks: faster-whisper called directly with the model and settings dropscribe passes,
in one fresh Python process (load the model, then transcribe each file with Silero VAD and word timestamps).

The caller (bench/lib.mjs) passes the daemon's config defaults as flags, so the settings are stated once
(src/config/config.ts). Prints one JSON object on stdout: timings of the phases and, per file, the language and text.
"""

import argparse
import json
import resource
import sys
import time

t0 = time.monotonic()


def parse_args(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True, help="a bundled model name (base, tiny.en) or a model folder")
    p.add_argument("--beam-size", type=int, required=True)
    p.add_argument("--compute-type", required=True)
    p.add_argument("--cpu-threads", type=int, required=True)
    p.add_argument("--vad-threshold", type=float, required=True)
    p.add_argument("--vad-min-silence-ms", type=int, required=True)
    p.add_argument("--vad-speech-pad-ms", type=int, required=True)
    p.add_argument("--word-timestamps", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("files", nargs="+")
    return p.parse_args(argv)


def cpu_seconds() -> float:
    """User + system CPU time of this process (all threads) and of the children it waited for."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main(argv) -> int:
    args = parse_args(argv)
    from dropscribe_stages.weights.models import bundled_models
    from faster_whisper import WhisperModel, decode_audio
    from faster_whisper.vad import VadOptions

    imported = time.monotonic()
    model_ref = str(bundled_models().get(args.model, args.model))
    model = WhisperModel(model_ref, device="cpu", compute_type=args.compute_type, cpu_threads=args.cpu_threads)
    loaded = time.monotonic()
    # The same VadOptions the daemon's vad stage builds (max_speech_duration_s stays infinite, so faster-whisper
    # joins all speech into one stream, as the daemon's transcribe stage does).
    vad = VadOptions(threshold=args.vad_threshold, min_silence_duration_ms=args.vad_min_silence_ms,
                     speech_pad_ms=args.vad_speech_pad_ms)
    files = []
    for path in args.files:
        started = time.monotonic()
        audio = decode_audio(path, sampling_rate=16000)
        decoded = time.monotonic()
        segments, info = model.transcribe(audio, beam_size=args.beam_size, word_timestamps=args.word_timestamps,
                                          vad_filter=True, vad_parameters=vad, condition_on_previous_text=False)
        text = " ".join(s.text.strip() for s in segments)
        files.append({
            "file": path, "language": info.language, "languageProbability": round(info.language_probability, 4),
            "text": text, "durationSec": round(info.duration, 3), "speechSec": round(info.duration_after_vad, 3),
            "decodeSec": round(decoded - started, 3), "transcribeSec": round(time.monotonic() - decoded, 3),
        })
    json.dump({"model": args.model, "modelPath": model_ref, "importSec": round(imported - t0, 3),
               "loadSec": round(loaded - imported, 3), "totalSec": round(time.monotonic() - t0, 3),
               "cpuSec": round(cpu_seconds(), 3), "files": files}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
