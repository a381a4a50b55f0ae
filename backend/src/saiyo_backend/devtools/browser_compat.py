"""Check the site's own CSS and JavaScript against the browsers it supports (make lint, and CI).

    python -m saiyo_backend.devtools.browser_compat

The supported browsers are the ``browserslist`` of ``tools/node/package.json``: the prefecture's
Microsoft Edge 124 (its staff's browser) and the two latest versions of Chrome, Edge, Firefox,
Safari and Safari on iOS (the visitors'). stylelint-no-unsupported-browser-features reads the
CSS and eslint-plugin-compat the JavaScript, both from caniuse / MDN data shipped in the pinned
npm packages (``make node-tools``), so the check runs without a network. A feature that is safe
where unsupported (a no-op, or a progressive enhancement with its fallback beside it) is
silenced where it occurs, with a comment saying why.
"""

from saiyo_backend.config import ROOT

import subprocess
import sys


NODE = ROOT / "tools" / "node"
ADDON = ROOT / "src" / "kagoshima.saiyo" / "src" / "kagoshima" / "saiyo"


def commands(folder=ADDON) -> list[list[str]]:
    """The two linters over every .css and .js file below folder (inside the repository)."""
    addon = folder.relative_to(ROOT).as_posix()
    return [
        [
            str(NODE / "node_modules" / ".bin" / "stylelint"),
            "--config",
            str(NODE / "stylelint.config.mjs"),
            "--formatter",
            "unix",
            f"{addon}/**/*.css",
        ],
        [
            str(NODE / "node_modules" / ".bin" / "eslint"),
            "--config",
            str(NODE / "eslint.config.mjs"),
            f"{addon}/**/*.js",
        ],
    ]


def run(folder=ADDON) -> tuple[int, str]:
    """(number of failing linters, their combined output)."""
    failed, output = 0, []
    for command in commands(folder):
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            failed += 1
            output.append(done.stdout + done.stderr)
    return failed, "\n".join(output)


def main() -> int:
    if not (NODE / "node_modules" / ".bin" / "stylelint").exists():
        print("Error: the linters are not installed; run 'make node-tools' first", file=sys.stderr)
        return 2
    failed, output = run()
    if failed:
        print(output)
        print("browser compatibility: problems found (see above)", file=sys.stderr)
        return 1
    print("browser compatibility: CSS and JavaScript fit every supported browser")
    return 0


if __name__ == "__main__":
    sys.exit(main())
