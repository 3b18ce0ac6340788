"""The openai backend of the transcribe stage against a test double of an OpenAI-compatible server on 127.0.0.1."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from conftest import run_stage, transcribe_request, typed_request

from dropscribe_stages.asr.openai_server import ServerAnswerInvalid, checked, http_failure, post, to_segments
from dropscribe_stages.asr.openai_server import wav_bytes as wav_of
from dropscribe_stages.speech.spans import SpanMapper

ANSWER = {
    "task": "transcribe",
    "language": "english",
    "duration": 7.0,
    "text": " Ask not. Ask what.",
    "segments": [
        {"id": 0, "start": 0.0, "end": 3.0, "text": " Ask not.", "avg_logprob": -0.2, "no_speech_prob": 0.05},
        {"id": 1, "start": 3.0, "end": 7.0, "text": " Ask what.", "avg_logprob": -0.3, "no_speech_prob": 0.05},
    ],
}


class Double:
    """Answers each POST with the next (status, body) of `script`, repeating the last; records what it was sent."""

    def __init__(self, script):
        self.script = list(script)
        self.requests = []
        double = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                double.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status, answer = double.script.pop(0) if len(double.script) > 1 else double.script[0]
                data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server():
    doubles = []

    def make(*script):
        d = Double(script)
        doubles.append(d)
        return d

    yield make
    for d in doubles:
        d.close()


@pytest.fixture
def audio(tmp_path):
    """11 s of a quiet tone as the 16 kHz WAV the decode stage writes (the double does not listen)."""
    path = tmp_path / "audio.wav"
    path.write_bytes(wav_of(0.1 * np.sin(np.arange(11 * 16000) / 16000 * 2 * np.pi * 220).astype(np.float32)))
    return str(path)


def request_for(audio, tmp_path, url, **kw):
    target = {"url": url, "model": "big-one", "timeoutSec": 10, "prompt": "Kennedy"}
    return transcribe_request(audio, tmp_path / "asr", backend="openai", server=target, **kw)


def transcript(run):
    return json.loads(open(run.result["transcript"]).read())["segments"]


def form_value(body: bytes, name: str) -> list[str]:
    values = []
    for part in body.split(b"--dropscribe-")[1:]:
        head, _, value = part.partition(b"\r\n\r\n")
        if f'name="{name}"'.encode() in head:
            values.append(value.rsplit(b"\r\n", 1)[0].decode())
    return values


def test_the_speech_is_sent_and_times_map_back_to_the_recording(audio, tmp_path, server):
    double = server((200, ANSWER))
    spans = [{"start": 1.0, "end": 4.0}, {"start": 6.0, "end": 10.0}]
    run = run_stage(
        "transcribe",
        request_for(audio, tmp_path, double.url, speech=spans, initialPrompt="my fellow"),
        env={"DROPSCRIBE_OPENAI_API_KEY": "sk-test"},
    )
    assert run.exit_code == 0, run.stderr
    sent = double.requests[0]
    assert sent["path"] == "/v1/audio/transcriptions"
    assert sent["headers"]["Authorization"] == "Bearer sk-test"
    assert form_value(sent["body"], "model") == ["big-one"] and form_value(sent["body"], "model_name") == ["big-one"]
    assert form_value(sent["body"], "response_format") == ["verbose_json"]
    assert form_value(sent["body"], "timestamp_granularities[]") == ["segment", "word"]
    assert form_value(sent["body"], "prompt") == ["Kennedy my fellow"]
    assert len(sent["body"]) > 7 * 16000 * 2, "7 s of speech as 16-bit WAV"
    segs = transcript(run)
    # 0-3 s of the upload is 1-4 s of the recording; 3-7 s is 6-10 s.
    assert [(s["start"], s["end"]) for s in segs] == [(1.0, 4.0), (6.0, 10.0)]
    assert all(s["words"] == [] for s in segs), "this server gives no word timings"
    assert run.result["backend"] == "openai" and run.result["language"] == "en"


def test_words_beside_the_segments_are_given_to_their_segment(audio, tmp_path, server):
    words = [{"word": " Ask", "start": 0.1, "end": 0.5}, {"word": " what.", "start": 3.5, "end": 4.0}]
    double = server((200, {**ANSWER, "words": words}))
    run = run_stage("transcribe", request_for(audio, tmp_path, double.url))
    assert run.exit_code == 0, run.stderr
    segs = transcript(run)
    assert [w["word"] for w in segs[0]["words"]] == [" Ask"] and [w["word"] for w in segs[1]["words"]] == [" what."]
    assert "Authorization" not in double.requests[0]["headers"], "no key: no header"


def test_translate_goes_to_the_translations_endpoint_without_a_language(audio, tmp_path, server):
    double = server((200, ANSWER))
    run = run_stage("transcribe", request_for(audio, tmp_path, double.url, task="translate", language="de"))
    assert run.exit_code == 0, run.stderr
    assert double.requests[0]["path"] == "/v1/audio/translations"
    assert form_value(double.requests[0]["body"], "language") == []


@pytest.mark.parametrize(
    "status,code,says",
    [
        (401, "config", "OPENAI_API_KEY"),
        (403, "config", "keyFile"),
        (404, "config", "http://gpu-box:8000/v1"),
        (400, "config", "rejected"),
        (429, "temporary", "busy"),
        (500, "temporary", "HTTP 500"),
        (503, "temporary", "HTTP 503"),
    ],
)
def test_an_error_status_classifies_itself(status, code, says):
    failure = http_failure("http://h/v1/audio/transcriptions", status, '{"error": "nope"}')
    assert failure.code == code and says in str(failure), str(failure)


def test_an_answer_that_is_no_transcription_is_a_bug_to_retry():
    with pytest.raises(ServerAnswerInvalid, match="verbose_json") as caught:
        checked({"text": "no segments"}, "http://h/v1")
    assert caught.value.code == "bug" and caught.value.retryable is True


def test_words_inside_segments_are_kept_and_mapped():
    answer = {**ANSWER, "segments": [{**ANSWER["segments"][0], "words": [{"word": " Ask", "start": 0.2, "end": 0.6}]}]}
    segs = to_segments(checked(answer, "u"), SpanMapper([{"start": 10.0, "end": 14.0}]))
    assert segs[0]["words"] == [{"word": " Ask", "start": 10.2, "end": 10.6, "probability": None}]


def test_a_server_that_is_down_is_temporary(audio, tmp_path, server):
    double = server((200, ANSWER))
    url = double.url
    double.close()
    run = run_stage("transcribe", request_for(audio, tmp_path, url))
    assert run.error["code"] == "temporary" and "cannot reach" in run.error["message"], run.error


def test_the_vocabulary_goes_between_the_configured_prompt_and_the_previous_words_for_speech_in_its_language():
    from dropscribe_stages.asr.openai_server import form_fields

    request = transcribe_request(
        "a.wav",
        Path("out"),
        backend="openai",
        server={"url": "http://x/v1", "model": "m", "timeoutSec": 1, "prompt": "Kennedy"},
        wordTimestamps=False,
        vocabulary=["Zyphrex", "Quorvane"],
        initialPrompt="my fellow",
    )

    def prompt_for(language, **kw):
        fields = {k: v for k, v in {**request, **kw}.items() if not (k == "vocabulary" and v is None)}
        return dict(form_fields(typed_request("transcribe", fields), language)).get("prompt")

    assert prompt_for("en") == "Kennedy Glossary: Zyphrex, Quorvane. my fellow"
    assert prompt_for(None) == "Kennedy Glossary: Zyphrex, Quorvane. my fellow", "language unknown: given"
    assert prompt_for("de") == "Kennedy my fellow", "German speech, English vocabulary"
    assert prompt_for("de", vocabularyLanguage="de") == "Kennedy Glossary: Zyphrex, Quorvane. my fellow"
    assert prompt_for("de", vocabulary=None, server={**request["server"], "prompt": None}) == "my fellow"


class Redirecting:
    """A server on 127.0.0.1 that answers every request with `status` and a Location on another origin (the
    `target` server, on another port), and a target that records every request it gets, whatever its method."""

    def __init__(self, status):
        self.seen = []
        seen = self.seen

        class Target(BaseHTTPRequestHandler):
            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                seen.append({"method": self.command, "headers": dict(self.headers)})
                data = json.dumps(ANSWER).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = answer  # noqa: N815

            def log_message(self, *args):
                pass

        self.target = ThreadingHTTPServer(("127.0.0.1", 0), Target)
        elsewhere = f"http://localhost:{self.target.server_address[1]}/v1/audio/transcriptions"

        class Redirect(BaseHTTPRequestHandler):
            def answer(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(status)
                self.send_header("Location", elsewhere)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = answer  # noqa: N815

            def log_message(self, *args):
                pass

        self.first = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
        for s in (self.target, self.first):
            threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.first.server_address[1]}/v1/audio/transcriptions"

    def close(self):
        for s in (self.first, self.target):
            s.shutdown()
            s.server_close()


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_the_key_never_follows_a_redirect_to_another_origin(status, monkeypatch):
    monkeypatch.setenv("DROPSCRIBE_OPENAI_API_KEY", "sk-secret")
    servers = Redirecting(status)
    try:
        with pytest.raises(Exception) as caught:
            post(servers.url, b"--x--\r\n", "multipart/form-data; boundary=x", 5)
    finally:
        servers.close()
    leaked = [r for r in servers.seen if "sk-secret" in json.dumps(r["headers"])]
    assert leaked == [], f"the other origin got the key: {leaked}"
    assert getattr(caught.value, "code", None) == "config", repr(caught.value)
    assert "redirect" in str(caught.value) and "localhost:" in str(caught.value), str(caught.value)


def test_a_key_is_never_sent_in_clear_to_another_machine(monkeypatch):
    import http.client

    monkeypatch.setenv("DROPSCRIBE_OPENAI_API_KEY", "sk-secret")
    tried = []
    monkeypatch.setattr(http.client.HTTPConnection, "connect", lambda conn: tried.append(conn.host) or 1 / 0)
    # 10.255.255.1 is routed nowhere; the refusal must come before any connection is tried.
    with pytest.raises(Exception) as caught:
        post("http://10.255.255.1:8000/v1/audio/transcriptions", b"", "audio/wav", 3)
    assert tried == [], "it tried to connect"
    assert getattr(caught.value, "code", None) == "config", repr(caught.value)
    assert "https" in str(caught.value) and "sk-secret" not in str(caught.value), str(caught.value)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/v1", "http://localhost:9/v1", "http://[::1]:9/v1"])
def test_a_key_may_go_over_http_to_this_machine(url, monkeypatch):
    from dropscribe_stages.asr.openai_server import key_transport_problem

    assert key_transport_problem(url, "sk") is None
    assert key_transport_problem("http://gpu-box:8000/v1", None) is None, "no key, nothing to leak"
    assert key_transport_problem("https://gpu-box:8000/v1", "sk") is None
    assert "https" in key_transport_problem("http://gpu-box:8000/v1", "sk")
