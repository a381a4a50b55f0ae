"""Compile the add-on's gettext catalogs (locales/*/LC_MESSAGES/*.po) into .mo files.

    saiyo translations

'make install' runs it whenever a .po file is newer than its .mo, so every deployment
profile has the compiled catalogs (production does not let Zope compile them at start-up,
and .mo files are build products, not kept in git). A syntax error in a catalog stops with
the file and line instead of leaving the old translations in place unnoticed.
"""

from pathlib import Path
from pythongettext.msgfmt import Msgfmt
from pythongettext.msgfmt import PoSyntaxError
from saiyo_backend.config import ROOT

import sys


LOCALES = ROOT / "src" / "kagoshima.saiyo" / "src" / "kagoshima" / "saiyo" / "locales"


def compile_catalog(po: Path) -> Path:
    mo = po.with_suffix(".mo")
    with po.open("rb") as source:
        compiled = Msgfmt(source, po.stem).get()
    mo.write_bytes(compiled)
    return mo


def main(argv=None) -> int:
    failed = False
    for po in sorted(LOCALES.glob("*/LC_MESSAGES/*.po")):
        try:
            mo = compile_catalog(po)
        except PoSyntaxError as error:
            print(f"翻訳ファイルの書式に誤りがあります / syntax error in {po.relative_to(ROOT)}: {error.msg}")
            failed = True
        else:
            print(f"compiled {mo.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
