"""Checks run before install, start and test, with a fix for each failure.

Every failure prints what is wrong and how to fix it, in Japanese and in English, and
exits with status 1; nothing is changed or touched. Only the standard library is used for
the checks that run before the virtual environment exists.

    python3 backend/src/saiyo_backend/preflight.py python    # before the venv: this Python can run Plone 6.2
    saiyo preflight port 127.0.0.1 8080
    saiyo preflight database instance/var/filestorage/Data.fs
    saiyo preflight command chromium "apt-get install chromium"
"""

from pathlib import Path

import errno
import shutil
import socket
import sys


SUPPORTED = ((3, 10), (3, 13))  # Plone 6.2 supports these; the lock is made on 3.11.


def fail(japanese: str, english: str) -> int:
    print(f"\nエラー: {japanese}\nError: {english}\n", file=sys.stderr)
    return 1


def check_python(executable_version=None) -> int:
    version = executable_version or sys.version_info[:2]
    low, high = SUPPORTED
    if not (low <= tuple(version) <= high):
        shown = ".".join(map(str, version))
        span = f"{low[0]}.{low[1]}〜{high[0]}.{high[1]}"
        return fail(
            f"Python {shown} には対応していません（対応: {span}、推奨: 3.11）。"
            f"対応する Python を入れ、make run PYTHON=python3.11 のように指定してください。",
            f"Python {shown} is not supported (supported: {span.replace('〜', ' to ')}, "
            f"recommended: 3.11). Install one and choose it: make run PYTHON=python3.11",
        )
    try:
        import ensurepip  # noqa: F401
        import venv  # noqa: F401
    except ImportError:
        return fail(
            "この Python には venv/ensurepip がありません。Debian/Ubuntu では "
            "apt-get install python3-venv、RHEL では dnf install python3.11 を実行してください。",
            "this Python lacks venv/ensurepip. On Debian/Ubuntu run 'apt-get install python3-venv'; "
            "on RHEL run 'dnf install python3.11'.",
        )
    return 0


def check_port(host: str, port: int) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return fail(
                    f"ポート {port} は他のプログラムが使用中です（{host}）。そのプログラムを止めるか"
                    f"（make stop で本サイトのサーバーを停止できます）、make run PORT={port + 1} の"
                    f"ように別のポートを指定してください。",
                    f"port {port} on {host} is already in use. Stop the program using it "
                    f"('make stop' stops this site's server) or choose another port: "
                    f"make run PORT={port + 1}",
                )
            return fail(
                f"{host}:{port} で待ち受けできません（{error.strerror}）。",
                f"cannot listen on {host}:{port}: {error.strerror}",
            )
    return 0


def check_database(path: str) -> int:
    data_fs = Path(path)
    if not data_fs.exists():
        return 0  # a new site will be created
    in_use = _locked_by(Path(f"{data_fs}.lock"))
    if in_use:
        return fail(
            f"データベース {data_fs} は別のプロセス（{in_use}）が使用中です。サーバーが既に動いて"
            f"いないか確認し、make stop で停止してから実行してください。",
            f"the database {data_fs} is in use by another process ({in_use}). Is the server "
            f"already running? Stop it with 'make stop' and try again.",
        )
    from ZODB.FileStorage import FileStorage

    try:
        # Read-only: nothing is written, not even the index file.
        storage = FileStorage(str(data_fs), read_only=True)
        storage.close()
    except Exception as error:  # any failure to open means the file cannot be served
        return fail(
            f"データベースファイル {data_fs} を開けません（壊れているか、ZODB のファイルでは"
            f"ありません）。ファイルには触れていません。バックアップから戻すか、内容が不要なら "
            f"make reset で作り直してください。",
            f"cannot open the database file {data_fs} ({type(error).__name__}: {error}). "
            f"It was left untouched. Restore it from a backup, or, if its content is not "
            f"needed, recreate it with 'make reset'.",
        )
    return 0


def _locked_by(lock_file: Path) -> str:
    """Describe the process holding ZODB's lock file, or return "" when nobody holds it."""
    import fcntl

    if not lock_file.exists():
        return ""
    with open(lock_file) as handle:  # read-only: the lock file is not rewritten
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = handle.read().strip()
            return f"pid {holder}" if holder else "pid unknown"
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    return ""


def check_command(name: str, install_hint: str) -> int:
    if shutil.which(name) is None and not Path(name).is_file():
        return fail(
            f"必要なプログラム {name} が見つかりません。{install_hint} でインストールしてください。",
            f"the program {name} is missing. Install it with: {install_hint}",
        )
    return 0


def main(argv) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    check, *args = argv
    if check == "python":
        if args:  # a version reported by another interpreter: "3.11"
            return check_python(tuple(int(part) for part in args[0].split(".")[:2]))
        return check_python()
    if check == "port":
        return check_port(args[0], int(args[1]))
    if check == "database":
        return check_database(args[0])
    if check == "command":
        return check_command(args[0], args[1])
    print(f"unknown check {check!r}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
