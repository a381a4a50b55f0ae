"""The 運用管理マニュアル (docs/operations/): every recovery command of the incident chapter is
one that a test runs, the chapters the specification asks for are there, and every document
of the folder is part of the manual.

The recovery commands are the lines of the ```sh blocks after **復旧** and **確認** in
incidents.md. Each must be in EXERCISED, which names the test code that runs what the command
runs (the deployment tests call the same functions or the same ``saiyo`` console script);
each make target must call that ``saiyo`` sub-command (``make -n``), and each ``saiyo`` line
must be accepted by the command's own option parser.
"""

from pathlib import Path

import ast
import re
import subprocess
import sys


ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "docs" / "operations"
BIN = Path(sys.executable).parent
DEPLOYMENT = "tests/deployment"
OPERATIONS_TEST = f"{DEPLOYMENT}/test_operations_commands.py"
BACKUP_TEST = f"{DEPLOYMENT}/test_backup_restore.py"

# command (make target or saiyo sub-command) -> (what it runs, [(test file, code a test runs)])
EXERCISED = {
    "make cluster-status": (
        "saiyo cluster status",
        [(OPERATIONS_TEST, 'saiyo(zeo_cluster, "cluster", "status")')],
    ),
    "make cluster": (
        "saiyo cluster start",
        [
            (OPERATIONS_TEST, "cluster.start(zeo_cluster.layout"),
            (BACKUP_TEST, "cluster.start(deployment.layout"),
        ],
    ),
    "make cluster-stop": (
        "saiyo cluster stop",
        [
            (OPERATIONS_TEST, 'saiyo(zeo_cluster, "cluster", "stop")'),
            (BACKUP_TEST, "cluster.stop(deployment.layout)"),
        ],
    ),
    "make check": (
        "saiyo check",
        [(OPERATIONS_TEST, 'saiyo(zeo_cluster, "check")'), (BACKUP_TEST, "check_saiyo.main(base)")],
    ),
    "make restore": (
        "saiyo restore",
        [
            (OPERATIONS_TEST, 'saiyo(zeo_cluster, "restore", "--date"'),
            (BACKUP_TEST, "maintenance.restore(deployment.layout"),
        ],
    ),
    "make backup": ("saiyo backup", [(OPERATIONS_TEST, 'saiyo(zeo_cluster, "backup"')]),
    "make pack": ("saiyo pack", [(OPERATIONS_TEST, 'saiyo(zeo_cluster, "pack"')]),
    "saiyo backup": (
        "saiyo backup",
        [(OPERATIONS_TEST, 'saiyo(zeo_cluster, "backup", "--full", "--keep-full"')],
    ),
    "saiyo backups": ("saiyo backups", [(OPERATIONS_TEST, 'saiyo(zeo_cluster, "backups")')]),
}
FAILURES = [
    "サイトが表示されない",
    "5xx エラーが出る",
    "ディスクがいっぱいになった",
    "データベースが壊れた",
    "アカウントがロックされた",
    "侵入の疑い",
]
STEPS = ["**検知**", "**初動**", "**復旧**", "**確認**", "**県への報告**"]


def recovery_commands() -> list[tuple[str, str]]:
    """(section, command line) of every line in the sh blocks after **復旧** / **確認**."""
    found, section, label, fenced = [], "", "", False
    for line in (OPERATIONS / "incidents.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            if label in ("復旧", "確認") and line.strip():
                found.append((section, re.split(r"\s{2,}#", line)[0].strip()))
            continue
        if line.startswith("# "):
            section, label = line[2:], ""
        elif match := re.match(r"\*\*(.+?)\*\*", line):
            label = match.group(1)
    return found


def key(command: str) -> str:
    words = command.split()
    if words[0] == "make":
        return f"make {words[1]}"
    if words[0] == ".venv/bin/saiyo":
        return f"saiyo {words[1]}"
    return command


def sections(markdown: str) -> dict[str, str]:
    parts = re.split(r"^# (.+)$", markdown, flags=re.M)
    return {title.strip(): body for title, body in zip(parts[1::2], parts[2::2], strict=True)}


def test_every_failure_has_its_procedure():
    chapters = sections((OPERATIONS / "incidents.md").read_text(encoding="utf-8"))
    for failure in FAILURES:
        [title] = [title for title in chapters if title.startswith(failure)]
        body = chapters[title]
        positions = [body.find(step) for step in STEPS]
        assert -1 not in positions, (title, dict(zip(STEPS, positions, strict=True)))
        assert positions == sorted(positions), f"{title}: the steps are out of order"
        report = body[positions[-1] :]
        assert re.search(r"(30 分|2 時間|当日中|月次)", report), f"{title}: how fast to report is missing"


def test_every_recovery_command_is_one_a_test_runs():
    commands = recovery_commands()
    assert len({section for section, _ in commands}) == len(FAILURES), "a failure has no recovery command"
    unknown = sorted({command for _, command in commands if key(command) not in EXERCISED})
    assert unknown == [], "recovery commands no test runs (add the test and its EXERCISED entry)"
    for name in {key(command) for _, command in commands}:
        for path, code in EXERCISED[name][1]:
            source = (ROOT / path).read_text(encoding="utf-8")
            tests = [
                ast.get_source_segment(source, node)
                for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
            ]
            assert any(code in test for test in tests), f"{name}: no test in {path} runs {code!r}"


def test_make_targets_call_the_command_the_tests_run():
    for command in sorted({command for _, command in recovery_commands() if command.startswith("make ")}):
        words = command.split()
        dry = subprocess.run(
            ["make", "-n", *words[1:]], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
        )
        runs = EXERCISED[key(command)][0].replace("saiyo ", "/saiyo ", 1)
        assert runs in dry.stdout, f"{command}: make -n shows no {runs!r}:\n{dry.stdout}"


def test_saiyo_lines_are_accepted_by_the_command(tmp_path):
    for command in sorted({command for _, command in recovery_commands() if not command.startswith("make ")}):
        words = command.split()
        # No deployment in tmp_path: the options are parsed, then the command says it finds none.
        done = subprocess.run(
            [str(BIN / "saiyo"), words[1], "--base", str(tmp_path), *words[2:]],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert "unrecognized arguments" not in done.stderr and "invalid" not in done.stderr, done.stderr
        assert done.returncode == 1 and "エラー" in done.stderr, (command, done.returncode, done.stderr)


def test_checklist_covers_every_period():
    checklist = sections((OPERATIONS / "checklist.md").read_text(encoding="utf-8"))
    for period in ("毎日", "毎週", "毎月", "毎年"):
        [body] = [body for title, body in checklist.items() if title.startswith(period)]
        assert len(re.findall(r"^\| [DWMY]\d+ \|", body, flags=re.M)) >= 5, period


def test_life_cycle_names_every_component_to_2031():
    text = (OPERATIONS / "lifecycle.md").read_text(encoding="utf-8")
    for component in (
        "Plone",
        "Zope",
        "Python",
        "3.11",
        "3.12",
        "RHEL 8",
        "RHEL 9",
        "nginx",
        "PostgreSQL",
        "Node.js",
        "Chromium",
    ):
        assert component in text, component
    assert "2031" in text


def test_every_document_of_the_folder_is_in_the_manual():
    readme = (OPERATIONS / "README.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\(([\w.-]+\.md)\)", readme))
    present = {path.name for path in OPERATIONS.glob("*.md")} - {"README.md"}
    assert present - linked == set(), "documents that make manuals leaves out of operations.docx"
    assert linked - present == set(), "links to missing documents"
