"""Issue 10 measurements: faster-whisper on one long file, whole vs cut into windows vs batched, in one fresh process.

  direct                       one model.transcribe over the whole file with Silero VAD (the baseline)
  windows --min S --max S      VAD once, then the windows of dropscribe_stages.speech.windows one after another
          [--only 0,2] [--spans F] [--prompt]   some windows only, spans from a file, previous text as prompt
  batched --batch N [--no-words]  BatchedInferencePipeline with VAD (with word timestamps it segfaults in
                               CTranslate2 4.8.5's alignment here)
Prints one JSON object: phase times, the text, and per window its range, speech and time.
"""

import argparse
import json
import sys
import time

t0 = time.monotonic()


def parse_args(argv):
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["direct", "windows", "batched", "vad"])
    p.add_argument("file")
    p.add_argument("--model", required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--beam-size", type=int, default=5)
    p.add_argument("--compute-type", default="int8")
    p.add_argument("--min", type=float, default=300)
    p.add_argument("--max", type=float, default=600)
    p.add_argument("--only", default="")
    p.add_argument("--spans", default="")
    p.add_argument("--prompt", action="store_true")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--no-words", action="store_true", help="without word timestamps")
    return p.parse_args(argv)


def main(argv) -> int:
    args = parse_args(argv)
    from dropscribe_stages.media.audio import read_wav
    from dropscribe_stages.weights.models import bundled_models
    from dropscribe_stages.speech.windows import plan_windows, spans_in
    from faster_whisper import BatchedInferencePipeline, WhisperModel
    from faster_whisper.transcribe import restore_speech_timestamps
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    vad = VadOptions(threshold=0.5, min_silence_duration_ms=2000, speech_pad_ms=400)
    common = dict(
        beam_size=args.beam_size,
        word_timestamps=not args.no_words,
        condition_on_previous_text=False,
    )
    report = {"mode": args.mode, "model": args.model, "threads": args.threads}
    audio = read_wav(args.file)
    report["readSec"] = round(time.monotonic() - t0, 3)
    if args.mode == "vad":
        t = time.monotonic()
        spans = [
            {"start": s["start"] / 16000, "end": s["end"] / 16000}
            for s in get_speech_timestamps(audio, vad)
        ]
        report.update(vadSec=round(time.monotonic() - t, 3), spans=spans)
        json.dump(report, sys.stdout)
        return 0
    model = WhisperModel(
        str(bundled_models().get(args.model, args.model)),
        device="cpu",
        compute_type=args.compute_type,
        cpu_threads=args.threads,
    )
    report["loadedSec"] = round(time.monotonic() - t0, 3)
    t = time.monotonic()
    if args.mode == "direct":
        segments, info = model.transcribe(
            audio, vad_filter=True, vad_parameters=vad, **common
        )
        report["text"] = " ".join(s.text.strip() for s in segments)
    elif args.mode == "batched":
        pipe = BatchedInferencePipeline(model)
        segments, info = pipe.transcribe(
            audio, vad_filter=True, vad_parameters=vad, batch_size=args.batch, **common
        )
        report["text"] = " ".join(s.text.strip() for s in segments)
    else:
        if args.spans:
            spans = json.load(open(args.spans))["spans"]
        else:
            spans = [
                {"start": s["start"] / 16000, "end": s["end"] / 16000}
                for s in get_speech_timestamps(audio, vad)
            ]
            report["vadSec"] = round(time.monotonic() - t, 3)
        windows = plan_windows(spans, args.min, args.max)
        only = {int(x) for x in args.only.split(",") if x} or set(range(len(windows)))
        texts, per, prompt = [], [], None
        for w in windows:
            if w["index"] not in only:
                continue
            tw = time.monotonic()
            chunks = [
                {"start": int(s["start"] * 16000), "end": int(s["end"] * 16000)}
                for s in spans_in(spans, w["start"], w["end"])
            ]
            import numpy as np

            piece = np.concatenate([audio[c["start"] : c["end"]] for c in chunks])
            segs, info = model.transcribe(
                piece,
                vad_filter=False,
                language="en" if args.model.endswith(".en") else None,
                initial_prompt=prompt if args.prompt else None,
                **common,
            )
            segs = list(restore_speech_timestamps(segs, chunks, 16000))
            text = " ".join(s.text.strip() for s in segs)
            texts.append(text)
            prompt = text[-600:]
            per.append(
                {
                    "index": w["index"],
                    "start": w["start"],
                    "end": w["end"],
                    "speechSec": w["speechSec"],
                    "sec": round(time.monotonic() - tw, 3),
                    "text": text,
                    "first": segs[0].start if segs else None,
                    "last": segs[-1].end if segs else None,
                }
            )
        report.update(windowCount=len(windows), windows=per, text=" ".join(texts))
    report["transcribeSec"] = round(time.monotonic() - t, 3)
    report["totalSec"] = round(time.monotonic() - t0, 3)
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    report["cpuSec"] = round(
        usage.ru_utime + usage.ru_stime, 2
    )  # the wall time of a shared machine is noisy
    report["peakRssMb"] = round(usage.ru_maxrss / 1024)
    json.dump(report, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
