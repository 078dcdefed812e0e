"""The command line: doctor, fetch-data and the environment check."""

import shutil
import subprocess
import sys

import pytest

import dcai_course
from dcai_course import datasets
from dcai_course.cli import main


def test_doctor_with_all_data_cached(capsys):
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "scikit-learn" in out and "cleanlab" in out and "snorkel" in out
    assert out.count("cached ") == len(datasets.REGISTRY)
    assert "Everything the course needs is installed" in out


def test_doctor_says_what_to_do_when_data_is_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(datasets.DATA_ENV_VAR, str(tmp_path))
    assert main(["doctor"]) == 1  # offline, the course cannot run as is
    out = capsys.readouterr().out
    assert "missing" in out and "dcai-course fetch-data" in out and "DCAI_COURSE_DATA" in out
    assert "Everything the course needs" not in out


def test_doctor_fails_on_a_corrupt_file(tmp_path, monkeypatch, capsys):
    rel = "letter_recognition/letter-recognition.names"
    (tmp_path / rel).parent.mkdir(parents=True)
    (tmp_path / rel).write_text("corrupt")
    monkeypatch.setenv(datasets.DATA_ENV_VAR, str(tmp_path))
    assert main(["doctor"]) == 1
    assert "checksum mismatch" in capsys.readouterr().out


def test_fetch_data_uses_the_cache(capsys):
    assert main(["fetch-data"]) == 0
    assert capsys.readouterr().out.count("ok ") == len(datasets.REGISTRY)


def test_fetch_data_reports_failures(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(datasets.DATA_ENV_VAR, str(tmp_path))
    for rel, entry in list(datasets.REGISTRY.items()):
        monkeypatch.setitem(
            datasets.REGISTRY,
            rel,
            entry.__class__(
                "http://127.0.0.1:9/x", entry.sha256, entry.dataset, entry.license, entry.citation
            ),
        )
    assert main(["fetch-data"]) == 1
    assert "FAILED" in capsys.readouterr().err


def test_check_environment(capsys):
    dcai_course.check_environment(datasets=["letters"])
    assert capsys.readouterr().out.startswith("Environment OK")
    with pytest.raises(RuntimeError, match="older than this notebook needs"):
        dcai_course.check_environment(requires="99.0")
    with pytest.raises(RuntimeError, match="unknown data set"):
        dcai_course.check_environment(datasets=["imagenet"])


def test_check_environment_reports_missing_data(tmp_path, monkeypatch):
    monkeypatch.setenv(datasets.DATA_ENV_VAR, str(tmp_path))
    entry = datasets.REGISTRY["letter_recognition/letter-recognition.names"]
    monkeypatch.setitem(
        datasets.REGISTRY,
        "letter_recognition/letter-recognition.names",
        entry.__class__(
            "http://127.0.0.1:9/x", entry.sha256, entry.dataset, entry.license, entry.citation
        ),
    )
    with pytest.raises(RuntimeError, match="could not be downloaded"):
        dcai_course.check_environment(datasets=["letters"])


def test_console_script_is_installed():
    exe = shutil.which("dcai-course")
    assert exe, "pip install -e . installs the dcai-course command"
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True).stdout
    assert dcai_course.__version__ in out
    out = subprocess.run(
        [sys.executable, "-m", "dcai_course.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for command in ("doctor", "build-exercises", "grade", "execute", "build-readme", "fetch-data"):
        assert command in out


def test_environment_report_lists_problems_first(monkeypatch, tmp_path):
    from importlib import metadata

    from dcai_course import environment

    real_version = metadata.version

    def fake_version(name):
        if name == "snorkel":
            raise metadata.PackageNotFoundError(name)
        if name == "numpy":
            return "1.26.0"
        return real_version(name)

    monkeypatch.setattr(environment.metadata, "version", fake_version)
    monkeypatch.setenv(datasets.DATA_ENV_VAR, str(tmp_path))
    report = environment.environment_report()
    top = report.head(2).set_index("component")
    assert top.loc["snorkel", "status"] == "missing"
    assert top.loc["numpy", "status"] == "wrong version"
    assert "pip install" in top.loc["numpy", "what to do"]
    assert set(report[report.kind == "data"].status) == {"not downloaded yet"}
    with pytest.raises(RuntimeError, match="snorkel: missing"):
        dcai_course.check_environment()


# --- issue 14: the doctor fails whenever the course cannot run as is ----------------------


def test_doctor_fails_when_the_data_folder_is_a_file(tmp_path, monkeypatch, capsys):
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv(datasets.DATA_ENV_VAR, str(tmp_path / "file"))
    assert main(["doctor"]) == 1
    assert "points at the file" in capsys.readouterr().out


def test_doctor_fails_on_a_folder_where_a_file_should_be(tmp_path, monkeypatch, capsys):
    for rel in datasets.REGISTRY:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(datasets.fetch_file(rel), tmp_path / rel)
    rel = next(iter(datasets.REGISTRY))
    (tmp_path / rel).unlink()
    (tmp_path / rel).mkdir()
    monkeypatch.setenv(datasets.DATA_ENV_VAR, str(tmp_path))
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "is a folder where a data file should be" in out


def test_doctor_says_delete_and_fetch_for_a_corrupt_file(tmp_path, monkeypatch, capsys):
    rel = "letter_recognition/letter-recognition.names"
    (tmp_path / rel).parent.mkdir(parents=True)
    (tmp_path / rel).write_text("corrupt")
    monkeypatch.setenv(datasets.DATA_ENV_VAR, str(tmp_path))
    main(["doctor"])
    assert "delete it and fetch again" in capsys.readouterr().out


def test_doctor_on_an_unwritable_folder_does_not_say_connect(tmp_path, monkeypatch, capsys):
    from dcai_course import cli

    monkeypatch.setenv(datasets.DATA_ENV_VAR, str(tmp_path))
    monkeypatch.setattr(cli, "_writable", lambda folder: False)
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "not writable" in out and "internet" not in out and "fetch-data" not in out


def test_a_failed_download_leaves_no_empty_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(datasets.DATA_ENV_VAR, str(tmp_path / "cache"))
    rel = "crowd/s4_Dog_data/truth.csv"
    entry = datasets.REGISTRY[rel]
    monkeypatch.setitem(
        datasets.REGISTRY,
        rel,
        entry.__class__(
            "http://127.0.0.1:9/x", entry.sha256, entry.dataset, entry.license, entry.citation
        ),
    )
    with pytest.raises(datasets.DataUnavailableError):
        datasets.fetch_file(rel)
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["build-readme", "--root", "{tmp}/nowhere"], "--root"),
        (["build-readme", "--root", "{tmp}"], "README"),
        (["execute", "{tmp}/missing.ipynb"], "does not exist"),
        (["execute", "{tmp}/bad.ipynb"], "not a readable Jupyter notebook"),
        (["build-site", "{tmp}/a-file", "--root", "{root}"], "outdir"),
        (["build-exercises", "--root", "{tmp}"], "--root"),
        (["build-exercises", "--check", "--root", "{tmp}/nowhere"], "--root"),
    ],
)
def test_subcommands_fail_with_one_clear_line(tmp_path, capsys, argv, message):
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "bad.ipynb").write_text("{not json")
    argv = [a.format(tmp=tmp_path, root=root) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("value", ["0", "-5", "inf", "soon"])
def test_execute_refuses_a_bad_timeout(capsys, value):
    with pytest.raises(SystemExit) as exit_info:
        main(["execute", "--timeout", value, "x.ipynb"])
    assert exit_info.value.code == 2
    assert "--timeout" in capsys.readouterr().err


def test_an_unknown_option_shows_the_subcommand_usage(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["build-readme", "--nope"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "usage: dcai-course build-readme" in err and "--nope" in err
