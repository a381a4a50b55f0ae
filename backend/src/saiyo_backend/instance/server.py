"""Start, stop and watch the Zope instance rendered in instance/etc (or another --etc).

    saiyo run      # foreground; Ctrl-C stops
    saiyo start    # background, pid file var/zope.pid, waits until it answers
    saiyo stop
    saiyo status

Before starting it checks that the port is free and the database file opens, and says
how to fix it when not (see ``saiyo_backend.preflight``).
"""

from pathlib import Path
from saiyo_backend import preflight
from saiyo_backend.config import read_instance as settings

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request


def url_of(conf: dict) -> str:
    host = "localhost" if conf["host"] in ("127.0.0.1", "0.0.0.0", "::1") else conf["host"]
    return f"http://{host}:{conf['port']}/"


def runwsgi() -> str:
    return str(Path(sys.executable).with_name("runwsgi"))


def preflight_checks(conf: dict) -> int:
    return preflight.check_port(conf["host"], int(conf["port"])) or (
        preflight.check_database(conf["data_fs"]) if conf.get("data_fs") else 0
    )


def pid_file(conf: dict) -> Path:
    return Path(conf["var"]) / "zope.pid"


def running_pid(conf: dict):
    path = pid_file(conf)
    if not path.is_file():
        return None
    try:
        pid = int(path.read_text().strip())
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError, PermissionError):
        path.unlink(missing_ok=True)
        return None
    return pid


def wait_until_up(url: str, timeout: float, process=None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status < 500:
                    return True
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def run(etc: Path) -> int:
    conf = settings(etc)
    if running_pid(conf):
        return preflight.fail(
            "サーバーは既にバックグラウンドで動いています。make stop で止めてから実行してください。",
            "the server is already running in the background; run 'make stop' first.",
        )
    if preflight_checks(conf):
        return 1
    print(f"serving {url_of(conf)} (profile {conf['profile']}); Ctrl-C stops", flush=True)
    process = subprocess.Popen(
        [runwsgi(), str(etc / "zope.ini")],
        # A shell without job control starts background commands with SIGINT ignored,
        # and exec keeps that: give waitress its normal Ctrl-C behaviour back.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )

    def forward(signum, frame):
        if process.poll() is None:
            process.send_signal(signal.SIGINT)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    try:
        code = process.wait(timeout=None)
    finally:
        if process.poll() is None:
            process.kill()
    print("\nstopped", flush=True)
    return 0 if code in (0, -signal.SIGINT, 130) else code


def start(etc: Path, timeout: float) -> int:
    conf = settings(etc)
    pid = running_pid(conf)
    if pid:
        print(f"already running (pid {pid}) at {url_of(conf)}")
        return 0
    if preflight_checks(conf):
        return 1
    log = Path(conf["var"]) / "log" / "console.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as output:
        process = subprocess.Popen(
            [runwsgi(), str(etc / "zope.ini")],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    pid_file(conf).write_text(str(process.pid))
    if not wait_until_up(url_of(conf), timeout, process):
        stop(etc)
        return preflight.fail(
            f"サーバーが起動しませんでした。ログ {log} を確認してください。",
            f"the server did not come up; see {log}",
        )
    print(f"started (pid {process.pid}) at {url_of(conf)}")
    return 0


def gone(pid: int) -> bool:
    """True when the process has ended; collects it when this process started it (no zombie)."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return True
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def stop(etc: Path) -> int:
    conf = settings(etc)
    pid = running_pid(conf)
    if not pid:
        print("not running")
        return 0
    os.kill(pid, signal.SIGTERM)
    for _ in range(60):
        if gone(pid):
            break
        time.sleep(0.5)
    else:
        os.kill(pid, signal.SIGKILL)
        gone(pid)
    pid_file(conf).unlink(missing_ok=True)
    print(f"stopped (pid {pid})")
    return 0


def status(etc: Path) -> int:
    conf = settings(etc)
    pid = running_pid(conf)
    if pid:
        print(f"running (pid {pid}) at {url_of(conf)}")
        return 0
    print("not running")
    return 3
