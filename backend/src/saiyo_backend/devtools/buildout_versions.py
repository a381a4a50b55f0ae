"""Write buildout-versions.cfg from requirements.txt, so buildout uses the same lock.

python backend/src/saiyo_backend/devtools/buildout_versions.py [--requirements requirements.txt] [--output buildout-versions.cfg]
"""

from pathlib import Path

import argparse
import re
import sys


# Standard library only, from this file's place: run as a file in a copy of the repository too.
ROOT = Path(__file__).resolve().parents[4]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")


def pins(requirements: Path) -> list[tuple[str, str]]:
    found = []
    for line in requirements.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            found.append(match.groups())
    return found


def render(requirements: Path) -> str:
    lines = [
        "# Generated from requirements.txt by saiyo buildout-versions; do not edit.",
        "[versions]",
    ]
    lines += [f"{name} = {version}" for name, version in pins(requirements)]
    # The add-on and the backend are develop eggs of this repository.
    lines.append("kagoshima.saiyo =")
    lines.append("saiyo-backend =")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requirements", type=Path, default=ROOT / "requirements.txt")
    parser.add_argument("--output", type=Path, default=ROOT / "buildout-versions.cfg")
    args = parser.parse_args(argv)
    text = render(args.requirements)
    args.output.write_text(text, encoding="utf-8")
    print(f"{args.output.name}: {text.count(chr(10)) - 3} pinned versions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
