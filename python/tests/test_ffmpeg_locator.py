import json
import os
import subprocess
import sys

from conftest import PYTHON_DIR

from dropscribe_stages.media.ffmpeg_locator import bundled_path, choose, parse_version, system_path

BUNDLED = ("/venv/imageio_ffmpeg/binaries/ffmpeg-v7", "ffmpeg version n7.1.0-17-gabc Copyright (c) 2000-2025")


def test_versions_from_release_distro_and_git_builds():
    assert parse_version("ffmpeg version 6.1.1-3ubuntu5 Copyright") == (6, 1, 1)
    assert parse_version("ffmpeg version n9.0.2-17-g2a571b6068-20260930 Copyright") == (9, 0, 2)
    assert parse_version("ffmpeg version 7.1 Copyright") == (7, 1, 0)
    assert parse_version("ffmpeg version N-118000-g1234abcd Copyright") is None


def test_a_system_ffmpeg_is_used_only_when_newer():
    newer = choose(("/opt/homebrew/bin/ffmpeg", "ffmpeg version 8.0 Copyright"), BUNDLED)
    assert (newer.path, newer.source, newer.version) == ("/opt/homebrew/bin/ffmpeg", "system", "8.0")
    for older in ("ffmpeg version 6.1.1-3ubuntu5", "ffmpeg version 7.1.0", "ffmpeg version N-118000-g1234abcd"):
        assert choose(("/usr/bin/ffmpeg", older), BUNDLED).source == "bundled", older
    assert choose(None, BUNDLED).path == BUNDLED[0]
    assert choose(("/usr/bin/ffmpeg", "ffmpeg version 4.4"), None).source == "system"
    assert choose(None, None) is None


def test_homebrew_folders_are_searched_even_when_not_on_path(tmp_path, monkeypatch):
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setattr("dropscribe_stages.media.ffmpeg_locator.EXTRA_DIRS", (str(tmp_path),))
    assert system_path("/usr/bin/nothing-here") == str(fake)


def locate(env: dict) -> dict | None:
    done = subprocess.run(
        [sys.executable, "-m", "dropscribe_stages.media.ffmpeg_locator", "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(PYTHON_DIR), **env},
    )
    return json.loads(done.stdout)


def test_the_bundled_ffmpeg_runs_and_the_override_wins():
    bundled = bundled_path()
    assert bundled and "imageio_ffmpeg" in bundled, "npm install puts imageio-ffmpeg's static ffmpeg in the venv"
    found = locate({"PATH": os.path.dirname(sys.executable)})
    assert found["source"] in ("bundled", "system") and found["version"]
    if not system_path(os.path.dirname(sys.executable)):
        assert (found["path"], found["source"]) == (bundled, "bundled")
    override = locate({"DROPSCRIBE_FFMPEG": bundled})
    assert (override["path"], override["source"]) == (bundled, "DROPSCRIBE_FFMPEG") and override["version"]
    assert locate({"DROPSCRIBE_FFMPEG": "none"}) is None
