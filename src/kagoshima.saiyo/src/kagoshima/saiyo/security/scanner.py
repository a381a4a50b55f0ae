"""Optional virus scan of every upload by a command-line scanner (ClamAV's clamdscan/clamscan).

Off unless the server's profile sets the command in ``[environment]``::

    [environment]
    SAIYO_VIRUS_SCAN_COMMAND = "clamdscan --no-summary -"

The command is a server setting on purpose, not a control-panel field: whoever sets it
chooses a program the Zope process runs. The file is handed to the command on its standard
input (``-``), so the scanner daemon needs no access to Zope's files and nothing is written
to disk. The exit code decides, as ClamAV (and most scanners) define it: 0 clean, 1 infected,
anything else (or no answer within ``SAIYO_VIRUS_SCAN_TIMEOUT`` seconds, default 120) an error.
An infected file and a failed scan are both refused (the upload is not stored); the person
gets a Japanese message, the operator an English log line with the scanner's output.

A file is scanned once, when it is uploaded: ``uploads.check_item`` and the edit forms'
validator ask ``problem_of_scan``; a file already scanned (marked on the file object) is not
scanned again when the page's other fields change.
"""

import logging
import os
import shlex
import subprocess


logger = logging.getLogger("kagoshima.saiyo.security")

COMMAND = "SAIYO_VIRUS_SCAN_COMMAND"
TIMEOUT = "SAIYO_VIRUS_SCAN_TIMEOUT"
MARK = "saiyo_virus_scanned"

INFECTED_MESSAGE = (
    "「{name}」からコンピューターウイルスが見つかったため、アップロードできません。"
    "ファイルは保存していません。ファイルの入手元に確認してください。"
)
FAILED_MESSAGE = (
    "「{name}」のウイルス検査ができなかったため、アップロードできません。"
    "しばらくしてからもう一度アップロードし、続く場合はサイト管理者に連絡してください。"
)


def command() -> list[str] | None:
    """The configured scanner command as arguments, or None when scanning is off."""
    return shlex.split(os.environ.get(COMMAND, "")) or None


def scan(data: bytes, name: str) -> str | None:
    """Scan ``data``; None when clean (or scanning is off), else the Japanese message."""
    arguments = command()
    if arguments is None:
        return None
    timeout = float(os.environ.get(TIMEOUT) or 120)
    try:
        result = subprocess.run(arguments, input=data, capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError) as error:
        logger.error(
            "virus scan of upload %r failed, upload refused: %s: %s", name, error.__class__.__name__, error
        )
        return FAILED_MESSAGE.format(name=name)
    output = (result.stdout + result.stderr).decode("utf-8", "replace").strip().replace("\n", " | ")[:500]
    if result.returncode == 0:
        logger.info("virus scan of upload %r: clean", name)
        return None
    if result.returncode == 1:
        logger.warning("virus scan: upload %r is infected, refused and not stored: %s", name, output)
        return INFECTED_MESSAGE.format(name=name)
    logger.error(
        "virus scan of upload %r failed (exit %d), upload refused: %s", name, result.returncode, output
    )
    return FAILED_MESSAGE.format(name=name)


def problem_of_scan(value) -> str | None:
    """Scan a plone.namedfile value once (it is marked when clean); the message or None."""
    if command() is None or getattr(value, MARK, False):
        return None
    name = getattr(value, "filename", None) or "（名前のないファイル）"
    message = scan(bytes(value.data), name)
    if message is None:
        setattr(value, MARK, True)
    return message
