"""Render the Zope instance (etc/zope.conf, etc/zope.ini, etc/site.zcml) from a profile.

One renderer for every deployment: the profile (``saiyo_backend.config``) says how the
instance is stored and served, the templates in ``instance/templates`` say how that is
written for Zope (``saiyo_backend.render``).

    saiyo instance --profile development
    saiyo instance --profile production --var /srv/saiyo/var
    saiyo instance --profile development --set server.port=8123
"""

from __future__ import annotations

from pathlib import Path
from saiyo_backend import config as profiles
from saiyo_backend import render as templates

import copy


OUTPUTS = {"zope.conf.j2": "zope.conf", "zope.ini.j2": "zope.ini", "site.zcml.j2": "site.zcml"}


def resolve_paths(config: dict, var_dir: Path, etc_dir: Path) -> dict:
    """Make every storage path absolute below ``var_dir`` (relative paths) and record paths."""
    config = copy.deepcopy(config)
    kind = config["storage"]["kind"]
    section = config["storage"][kind]
    for key in ("path", "blob_dir"):
        if key in section:
            section[key] = str((var_dir / section[key]).resolve())
    config["paths"] = {
        "root": str(profiles.ROOT),
        "instance": str(etc_dir.parent.resolve()),
        "etc": str(etc_dir.resolve()),
        "var": str(var_dir.resolve()),
        "log": str((var_dir / "log").resolve()),
    }
    return config


def render(config: dict) -> dict[str, str]:
    """Return {file name: text} for the instance files of a resolved configuration."""
    return {out: templates.render(src, **config) for src, out in OUTPUTS.items()}


def write_instance(config: dict) -> list[Path]:
    """Write the rendered files and the instance record, and create the var folders they name."""
    etc = Path(config["paths"]["etc"])
    var = Path(config["paths"]["var"])
    for folder in (etc, var, var / "log", var / "cache"):
        folder.mkdir(parents=True, exist_ok=True)
    section = config["storage"][config["storage"]["kind"]]
    if "path" in section:
        Path(section["path"]).parent.mkdir(parents=True, exist_ok=True)
    Path(section["blob_dir"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    written = [templates.write(etc / name, text) for name, text in render(config).items()]
    written.append(profiles.write_instance_record(etc, config))
    return written


def render_instance(profile: str, etc: Path, var: Path, overrides=(), environ=None) -> list[Path]:
    """Load ``profile`` and write its instance into ``etc`` and ``var``."""
    config = profiles.load_profile(profile, overrides, environ)
    return write_instance(resolve_paths(config, var, etc))
