"""The one Jinja environment that writes every generated file from ``instance/templates``.

Zope's files (zope.conf, zope.ini, site.zcml) and the deployment's (zeo.conf, nginx, systemd,
logrotate) are rendered with the same options: an undefined name is an error, not an empty
string, so a template and a profile cannot drift apart silently.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from saiyo_backend.config import TEMPLATES


@cache
def environment(folder: str = str(TEMPLATES)):
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


def write(path: Path, text: str, mode: int | None = None) -> Path:
    """Write ``text`` to ``path`` (folders made as needed), with ``mode`` when given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if mode is not None:
        path.chmod(mode)
    return path


def write_template(path: Path, template: str, **context) -> Path:
    return write(path, render(template, **context))
