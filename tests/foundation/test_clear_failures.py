"""Clear failures: the cause and the fix in Japanese and English, exit status 1, no
traceback, and no data touched."""

from pathlib import Path
from tests.support.throwaway import make_instance

import hashlib
import pytest
import socket
import subprocess
import sys


ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True)


def assert_clear(result, japanese, english):
    assert result.returncode == 1, result
    assert "エラー:" in result.stderr and japanese in result.stderr
    assert "Error:" in result.stderr and english in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def server(instance, command):
    return run(sys.executable, "-m", "saiyo_backend", command, "--etc", str(instance.etc))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_unsupported_python_version():
    result = run(sys.executable, "backend/src/saiyo_backend/preflight.py", "python", "3.8")
    assert_clear(result, "Python 3.8 には対応していません", "Python 3.8 is not supported")
    assert "PYTHON=python3.11" in result.stderr


def test_this_python_is_supported():
    assert run(sys.executable, "backend/src/saiyo_backend/preflight.py", "python").returncode == 0


def test_port_taken(tmp_path):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        instance = make_instance(tmp_path, port=port)
        result = server(instance, "start")
    assert_clear(
        result, f"ポート {port} は他のプログラムが使用中です", f"port {port} on 127.0.0.1 is already in use"
    )
    assert f"PORT={port + 1}" in result.stderr
    assert instance.pid() is None


def test_broken_database_is_named_and_left_untouched(tmp_path):
    instance = make_instance(tmp_path)
    data_fs = instance.var / "filestorage" / "Data.fs"
    data_fs.write_bytes(b"FS21" + b"\x00\xff not a transaction " * 64)
    before = digest(data_fs)
    result = server(instance, "start")
    assert_clear(result, "データベースファイル", "cannot open the database file")
    assert "make reset" in result.stderr
    assert digest(data_fs) == before
    assert sorted(p.name for p in data_fs.parent.iterdir()) == ["Data.fs"]
    assert instance.pid() is None


def test_missing_system_program():
    result = run(
        sys.executable,
        "backend/src/saiyo_backend/preflight.py",
        "command",
        "chromium-that-is-not-there",
        "apt-get install chromium",
    )
    assert_clear(result, "chromium-that-is-not-there が見つかりません", "apt-get install chromium")


def test_start_without_a_rendered_instance(tmp_path):
    result = run(sys.executable, "-m", "saiyo_backend", "start", "--etc", str(tmp_path / "etc"))
    assert_clear(result, "インスタンスがありません", "run 'make instance' first")


@pytest.mark.parametrize("command", ["create-site", "schedule", "export"])
def test_zope_script_without_a_rendered_instance(tmp_path, command):
    result = run(sys.executable, "-m", "saiyo_backend", command, "--etc", str(tmp_path / "etc"))
    assert_clear(result, "インスタンスがありません", "run 'make instance' first")


def test_zope_script_while_the_database_is_in_use(tmp_path):
    instance = make_instance(tmp_path)
    assert instance.create_site().returncode == 0
    assert instance.start() == 0
    try:
        result = instance.saiyo("schedule")
    finally:
        instance.stop()
    assert_clear(result, "別のプロセス", "is in use by another process")
