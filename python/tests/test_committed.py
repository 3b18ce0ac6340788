import json

from conftest import manifest, run_stage, transcribe_request, wer

from dropscribe_stages.asr.committed import CommittedSegments, spans_after, speech_before

KEY = {"model": "tiny.en", "task": "transcribe", "language": None, "span": [0.0, 11.0]}


def test_a_torn_last_line_is_dropped_and_cut_off(tmp_path):
    log = CommittedSegments(tmp_path / "segments.ndjson", KEY)
    log.load()
    log.begin("en", 0.9)
    log.commit({"start": 0.0, "end": 2.0, "text": "one"})
    log.commit({"start": 2.0, "end": 4.0, "text": "two"})
    log.close()
    with open(log.path, "ab") as f:
        f.write(b'{"start": 4.0, "end"')  # killed in the middle of a write
    again = CommittedSegments(log.path, KEY)
    assert [s["text"] for s in again.load()] == ["one", "two"]
    assert again.end == 4.0 and again.language == ("en", 0.9)
    assert log.path.read_bytes().endswith(b"\n")


def test_segments_of_another_request_are_not_reused(tmp_path):
    log = CommittedSegments(tmp_path / "segments.ndjson", KEY)
    log.begin("en", 0.9)
    log.commit({"start": 0.0, "end": 2.0, "text": "one"})
    log.close()
    assert CommittedSegments(log.path, {**KEY, "model": "base"}).load() == []


def test_spans_after_a_time():
    spans = [{"start": 0.0, "end": 3.0}, {"start": 5.0, "end": 9.0}]
    assert spans_after(spans, 6.0) == [{"start": 6.0, "end": 9.0}]
    assert spans_after(spans, 3.5) == [{"start": 5.0, "end": 9.0}]
    assert speech_before(spans, 6.0) == 4.0


def test_a_second_attempt_continues_after_the_committed_segments(decoded, tmp_path):
    audio = decoded("jfk.flac")
    segments_file = tmp_path / "asr" / "segments.ndjson"
    first = run_stage("transcribe", transcribe_request(audio, tmp_path / "asr", segmentsFile=str(segments_file)))
    assert first.exit_code == 0, first.stderr
    lines = segments_file.read_bytes().split(b"\n")[:-1]
    whole = json.loads(open(first.result["transcript"]).read())["segments"]
    assert len(lines) == 1 + len(whole) >= 3, "a header and every segment, one line each"
    # As if killed after the first segment, in the middle of writing the second.
    segments_file.write_bytes(lines[0] + b"\n" + lines[1] + b"\n" + lines[2][:10])
    kept = json.loads(lines[1])
    second = run_stage("transcribe", transcribe_request(audio, tmp_path / "asr", segmentsFile=str(segments_file)))
    assert second.exit_code == 0, second.stderr
    assert second.result["resumedAfterSec"] == kept["end"]
    assert first.result["resumedAfterSec"] is None
    resumed = json.loads(open(second.result["transcript"]).read())["segments"]
    first_kept = {k: v for k, v in resumed[0].items() if k != "language"}
    assert resumed[0]["language"] == "en" and all(w["language"] == "en" for w in resumed[0]["words"])
    first_kept["words"] = [{k: v for k, v in w.items() if k != "language"} for w in first_kept["words"]]
    assert first_kept == kept and all(b["start"] >= a["end"] - 0.01 for a, b in zip(resumed, resumed[1:], strict=False))
    text = " ".join(s["text"] for s in resumed)
    reference = manifest()["jfk.flac"]["reference_transcript"]
    assert wer(reference, text) <= wer(reference, " ".join(s["text"] for s in whole)) + 0.05
    assert any("continuing after" in e.get("message", "") for e in second.events)
