"""Encrypted archives for hand-overs: AES-256 zip (WinZip AE-2), opened on Windows with 7-Zip,
Explzh, WinZip and similar tools by typing the passphrase; made and read here with pyzipper.

The passphrase is the prefecture's: it is never in the repository or a profile. Set one of

- ``SAIYO_ARCHIVE_PASSPHRASE_FILE``: a file readable only by the site's account
  (e.g. ``/etc/saiyo/archive-passphrase``, mode 0400), its first line the passphrase;
- ``SAIYO_ARCHIVE_PASSPHRASE``: the passphrase itself (for a one-off shell).

When neither is set, archives are written unencrypted, as before.
"""

from __future__ import annotations

from pathlib import Path

import os
import zipfile


MIN_LENGTH = 12


class ArchiveError(Exception):
    """``japanese`` for the person, the message for the operator's log."""

    def __init__(self, japanese: str, english: str):
        super().__init__(english)
        self.japanese = japanese


def passphrase(environ=os.environ) -> bytes | None:
    path = environ.get("SAIYO_ARCHIVE_PASSPHRASE_FILE", "").strip()
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8").splitlines()[0].strip()
        except (OSError, IndexError) as error:
            raise ArchiveError(
                f"暗号化のパスフレーズのファイル {path} を読めません。",
                f"cannot read SAIYO_ARCHIVE_PASSPHRASE_FILE {path}: {error}",
            ) from error
    else:
        text = environ.get("SAIYO_ARCHIVE_PASSPHRASE", "")
    if not text:
        return None
    if len(text) < MIN_LENGTH:
        raise ArchiveError(
            f"暗号化のパスフレーズは {MIN_LENGTH} 文字以上にしてください。",
            f"archive passphrase shorter than {MIN_LENGTH} characters",
        )
    return text.encode("utf-8")


def write(folder: Path, target: Path, secret: bytes | None, compress: bool = True) -> Path:
    """Zip ``folder`` (its name the top folder inside) into ``target``; AES-256 when ``secret``.
    ``compress=False`` stores (backups: repozo files are gzipped, blobs mostly PDF and JPEG)."""
    import pyzipper

    partial = target.with_name(target.name + ".partial")
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    if secret:
        archive = pyzipper.AESZipFile(partial, "w", compression=method, encryption=pyzipper.WZ_AES)
        archive.setpassword(secret)
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
    else:
        archive = zipfile.ZipFile(partial, "w", compression=method)
    with archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, (Path(folder.name) / path.relative_to(folder)).as_posix())
    partial.replace(target)
    return target


def is_encrypted(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        return any(info.flag_bits & 0x1 for info in archive.infolist())


def extract(path: Path, into: Path, secret: bytes | None) -> Path:
    """Unpack ``path`` (encrypted or not) under ``into``; return its one top folder."""
    import pyzipper

    try:
        encrypted = is_encrypted(path)
        if encrypted and not secret:
            raise ArchiveError(
                f"{path.name} は暗号化されています。パスフレーズ（SAIYO_ARCHIVE_PASSPHRASE_FILE）を設定してください。",
                f"{path} is encrypted and no passphrase is configured",
            )
        with pyzipper.AESZipFile(path) as archive:
            if encrypted:
                archive.setpassword(secret)
            tops = {name.split("/", 1)[0] for name in archive.namelist()}
            if len(tops) != 1 or any(
                ".." in Path(name).parts or name.startswith("/") for name in archive.namelist()
            ):
                raise ArchiveError(
                    f"{path.name} は書き出しの形ではありません。", f"{path}: not one top folder"
                )
            archive.extractall(into)
    except RuntimeError as error:  # pyzipper: "Bad password for file …"
        raise ArchiveError(
            f"{path.name} を開けません。パスフレーズが違います。", f"{path}: wrong passphrase ({error})"
        ) from error
    except zipfile.BadZipFile as error:
        raise ArchiveError(f"{path.name} は壊れているか zip ではありません。", f"{path}: {error}") from error
    return into / tops.pop()
