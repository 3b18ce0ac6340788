import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dropscribe_stages.runtime.errors import ConfigProblem, Temporary
from dropscribe_stages.weights import hub_download

MODEL = b"x" * 5000
CONFIG = b'{"a": 1}'


class Recorder:
    def __init__(self):
        self.events = []

    def send(self, event, **fields):
        self.events.append({"event": event, **fields})

    def progress(self, fraction, message=None):
        self.send("progress", fraction=fraction, message=message)


@pytest.fixture
def hub(monkeypatch):
    """A hub on 127.0.0.1 stating `state["sha256"]` for model.bin."""
    state = {"sha256": hashlib.sha256(MODEL).hexdigest()}
    blob = hashlib.sha1(b"blob %d\0" % len(CONFIG) + CONFIG).hexdigest()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path.startswith("/api/models/org/m/revision/main"):
                siblings = [
                    {"rfilename": "model.bin", "lfs": {"size": len(MODEL), "sha256": state["sha256"]}},
                    {"rfilename": "config.json", "size": len(CONFIG), "blobId": blob},
                    {"rfilename": "README.md", "size": 3, "blobId": "0"},
                ]
                body = json.dumps({"sha": "abc", "siblings": siblings}).encode()
            elif self.path == "/org/m/resolve/abc/model.bin":
                body = MODEL
            elif self.path == "/org/m/resolve/abc/config.json":
                body = CONFIG
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{server.server_port}")
    yield state
    server.shutdown()


def test_a_model_is_downloaded_checked_and_moved_into_place(hub, tmp_path):
    channel = Recorder()
    folder = hub_download.ensure_model("org/m", tmp_path, channel)
    assert folder == tmp_path / "org--m"
    assert (folder / "model.bin").read_bytes() == MODEL and (folder / "config.json").read_bytes() == CONFIG
    assert not (folder / "README.md").exists(), "only the model's files"
    last = [e for e in channel.events if e["event"] == "download"][-1]
    assert last["bytes"] == last["totalBytes"] == len(MODEL) + len(CONFIG)


def test_a_file_with_another_hash_is_removed_and_not_used(hub, tmp_path):
    hub["sha256"] = "0" * 64
    with pytest.raises(Temporary, match="the hub states"):
        hub_download.ensure_model("org/m", tmp_path, Recorder())
    assert not (tmp_path / "org--m").exists()
    assert not (tmp_path / ".partial" / "org--m" / "model.bin").exists()


def test_an_unknown_model_is_a_config_problem(hub, tmp_path):
    with pytest.raises(ConfigProblem, match="has no model"):
        hub_download.ensure_model("org/other", tmp_path, Recorder())
