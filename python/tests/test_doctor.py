"""The doctor report: typed in Python, checked against the contract's doctorReport schema before it is printed."""

import json
import platform
import subprocess
import sys

from conftest import PYTHON_DIR

from dropscribe_stages.runtime import doctor
from dropscribe_stages.runtime.contract import SCHEMA
from dropscribe_stages.runtime.typed_json import schema_problem, to_json


def test_the_report_of_this_environment_matches_the_contract_and_names_its_modules():
    value = to_json(doctor.report())
    assert schema_problem(SCHEMA["doctorReport"], value) is None
    assert set(value["modules"]) == set(doctor.MODULES) and value["modules"]["faster_whisper"]
    assert set(value["optionalStages"]) == set(doctor.OPTIONAL_STAGES)
    assert value["ffmpeg"]["source"] in ("bundled", "system", "DROPSCRIBE_FFMPEG")


def test_a_report_the_contract_does_not_know_is_refused_in_plain_words():
    value = to_json(doctor.report())
    assert schema_problem(SCHEMA["doctorReport"], {**value, "modules": {**value["modules"], "torch": "2.5"}}) == (
        "modules: Additional properties are not allowed ('torch' was unexpected)"
    )
    broken = {**value, "optionalStages": {**value["optionalStages"], "demucs": {"imports": "yes"}}}
    assert schema_problem(SCHEMA["doctorReport"], broken).startswith("optionalStages.demucs:")


def test_the_module_prints_one_json_object():
    done = subprocess.run(
        [sys.executable, "-m", "dropscribe_stages.runtime.doctor"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(PYTHON_DIR), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["python"] == platform.python_version()
