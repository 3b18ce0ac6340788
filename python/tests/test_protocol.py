import json
import os
import subprocess
import sys
import time

from conftest import FAKE_MODULES, PYTHON_DIR, run_stage


def test_heartbeats_come_from_a_thread_while_the_stage_works(decoded, tmp_path):
    run = run_stage(
        "transcribe",
        {
            "audio": decoded("en_librivox_shakespeare_sonnet001.mp3"),
            "outDir": str(tmp_path / "a"),
            "speech": None,
            "backend": "faster-whisper",
            "model": "tiny.en",
            "language": "en",
            "task": "transcribe",
            "wordTimestamps": False,
            "beamSize": 1,
            "cpuThreads": 1,
            "computeType": "int8",
            "heartbeatSeconds": 0.2,
            "languageMismatch": "warn",
        },
    )
    assert run.exit_code == 0, run.stderr
    beats = [e for e in run.events if e["event"] == "heartbeat"]
    assert len(beats) >= 3 and all(b["rssBytes"] > 10_000_000 for b in beats)
    assert [e["event"] for e in run.events].count("result") == 1


def test_a_stage_exits_when_its_parent_closes_stdin(tmp_path):
    read_fd, write_fd = os.pipe()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(PYTHON_DIR), str(FAKE_MODULES)]),
        "FAKE_DEMUCS_MODE": "sleep",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "dropscribe_stages", "separate"],
        stdin=subprocess.PIPE,
        pass_fds=(write_fd, 3),
        preexec_fn=lambda: os.dup2(write_fd, 3),
        env=env,
        text=True,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    audio = tmp_path / "a.wav"
    import numpy as np

    from dropscribe_stages.media.audio import write_wav_atomic

    write_wav_atomic(audio, np.zeros(16000, dtype=np.float32))
    proc.stdin.write(
        json.dumps(
            {
                "stage": "separate",
                "jobId": "x",
                "outDir": str(tmp_path / "o"),
                "heartbeatSeconds": 1,
                "audio": str(audio),
                "model": "htdemucs",
            }
        )
        + "\n"
    )
    proc.stdin.flush()
    time.sleep(1.5)
    assert proc.poll() is None, "still working while the parent is there"
    proc.stdin.close()
    assert proc.wait(timeout=10) == 75
    os.close(read_fd)


def test_a_full_disk_is_reported_as_disk_full_and_other_os_errors_as_temporary():
    import errno
    import io

    from dropscribe_stages.runtime.protocol import Channel, handle_one

    request = json.dumps(
        {
            "stage": "vad",
            "jobId": "1",
            "outDir": "/tmp",
            "heartbeatSeconds": 1,
            "audio": "a.wav",
            "threshold": 0.5,
            "minSilenceMs": 100,
            "speechPadMs": 10,
        }
    )

    def ends(exc: OSError) -> dict:
        out = io.StringIO()

        def handler(_request, _channel):
            raise exc

        status = handle_one("vad", request, handler, Channel(out))
        error = json.loads(out.getvalue().splitlines()[-1])
        return {"status": status, "code": error["code"], "retryable": error["retryable"]}

    assert ends(OSError(errno.ENOSPC, "No space left on device")) == {
        "status": 75,
        "code": "disk_full",
        "retryable": True,
    }
    assert ends(OSError(errno.EDQUOT, "Disk quota exceeded"))["code"] == "disk_full"
    assert ends(OSError(errno.EBUSY, "Device or resource busy"))["code"] == "temporary"
