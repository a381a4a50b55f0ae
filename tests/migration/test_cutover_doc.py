"""The 移行・切替手順書 names only commands that exist, with the parameters their targets read."""

from pathlib import Path

import re


ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "operations" / "migration-cutover.md"


def make_targets() -> dict[str, str]:
    """target → its recipe text, from the Makefile."""
    targets, current = {}, None
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([a-z][a-z0-9-]*):", line)
        if match:
            current = match.group(1)
            targets[current] = line
        elif current and line.startswith("\t"):
            targets[current] += "\n" + line
    return targets


def test_every_make_command_of_the_cutover_exists_with_its_parameters():
    targets = make_targets()
    commands = re.findall(r"^\s*make ([a-z-]+)((?: [A-Z]+=\S*)*)", DOC.read_text(encoding="utf-8"), re.M)
    named = {target for target, _ in commands}
    # the steps the migration tests run, in the order the document gives them
    assert {"migrate", "backup", "restore", "check", "stop"} <= named
    for target, parameters in commands:
        assert target in targets, f"make {target} is not in the Makefile"
        for parameter in re.findall(r"([A-Z]+)=", parameters):
            assert f"$({parameter})" in targets[target], f"make {target} does not read {parameter}="


def test_the_cutover_is_linked_from_the_operations_manual():
    index = (ROOT / "docs" / "operations" / "README.md").read_text(encoding="utf-8")
    assert "(migration-cutover.md)" in index
