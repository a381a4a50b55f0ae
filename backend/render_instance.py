"""Render the Zope instance (etc/zope.conf, etc/zope.ini, etc/site.zcml) from a profile.

One renderer for every deployment: a profile in ``profiles/<name>.toml`` says how the
instance is stored and served, the Jinja2 templates in ``instance/templates`` say how that
is written for Zope. String values of the form ``${NAME:-default}`` are read from the
environment when rendering, so one production profile serves every host.

Usage::

    python -m backend.render_instance --profile development
    python -m backend.render_instance --profile production --var /srv/saiyo/var
    python -m backend.render_instance --profile development --set server.port=8123
"""

from __future__ import annotations

from pathlib import Path

import argparse
import copy
import os
import re
import sys
import tomllib


ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "profiles"
TEMPLATES = ROOT / "instance" / "templates"
OUTPUTS = {"zope.conf.j2": "zope.conf", "zope.ini.j2": "zope.ini", "site.zcml.j2": "site.zcml"}
STORAGE_KINDS = ("filestorage", "zeo", "relstorage")

# Optional settings and their values when a profile does not give them.
DEFAULTS = {
    "instance": {
        "description": "",
        "debug_mode": False,
        "verbose_security": False,
        "site_id": "Plone",
        "site_at_root": False,
        "store_admin_password": False,
        "compile_mo_files": False,
    },
    "server": {"host": "127.0.0.1", "port": 8080, "threads": 4, "trusted_proxy": ""},
    "storage": {"cache_size": 30000},
    "environment": {},
}
REQUIRED = {
    "filestorage": ("path", "blob_dir"),
    "zeo": ("server", "storage", "client_cache_size", "blob_dir", "shared_blob_dir"),
    "relstorage": ("dsn", "blob_dir", "shared_blob_dir", "blob_cache_size", "keep_history"),
}
ENV_PATTERN = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}")


class ProfileError(Exception):
    """A profile that cannot be rendered; the message says what to fix."""


def _expand(value, environ):
    if isinstance(value, dict):
        return {key: _expand(item, environ) for key, item in value.items()}
    if isinstance(value, list):
        return [_expand(item, environ) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match):
        name, default = match.group(1), match.group(2)
        if name in environ:
            return environ[name]
        if default is None:
            raise ProfileError(f"environment variable {name} is not set and has no default")
        return default

    return ENV_PATTERN.sub(substitute, value)


def _merge(base, override):
    result = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merge(result[key], value)
        else:
            result[key] = value
    return result


def _set(config, dotted, raw):
    """Apply a ``--set section.key=value`` override (value parsed as TOML, else a string)."""
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    *parents, leaf = dotted.split(".")
    node = config
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def load_profile(name: str, overrides=(), environ=None) -> dict:
    """Read ``profiles/<name>.toml``, apply defaults, overrides and the environment."""
    path = PROFILES / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in PROFILES.glob("*.toml")))
        raise ProfileError(f"no profile named {name!r} in profiles/ (known: {known})")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"profiles/{name}.toml is not valid TOML: {error}") from None
    for item in overrides:
        if "=" not in item:
            raise ProfileError(f"--set needs section.key=value, got {item!r}")
        key, value = item.split("=", 1)
        _set(raw, key.strip(), value.strip())
    config = _expand(_merge(DEFAULTS, raw), os.environ if environ is None else environ)
    config["profile"] = {"name": name, "file": str(path)}

    kind = config["storage"].get("kind")
    if kind not in STORAGE_KINDS:
        raise ProfileError(f"storage.kind must be one of {', '.join(STORAGE_KINDS)}, got {kind!r}")
    section = config["storage"].get(kind)
    if not isinstance(section, dict):
        raise ProfileError(f"storage.kind is {kind!r} but there is no [storage.{kind}] section")
    missing = [key for key in REQUIRED[kind] if key not in section]
    if missing:
        raise ProfileError(f"[storage.{kind}] lacks: {', '.join(missing)}")
    server = config["server"]
    try:
        server["port"] = int(server["port"])
        server["threads"] = int(server["threads"])
    except (TypeError, ValueError):
        raise ProfileError("server.port and server.threads must be whole numbers") from None
    if not 0 < server["port"] < 65536:
        raise ProfileError(f"server.port {server['port']} is out of range")
    return config


def resolve_paths(config: dict, var_dir: Path, etc_dir: Path) -> dict:
    """Make every storage path absolute below ``var_dir`` (relative paths) and record paths."""
    config = copy.deepcopy(config)
    kind = config["storage"]["kind"]
    section = config["storage"][kind]
    for key in ("path", "blob_dir"):
        if key in section:
            section[key] = str((var_dir / section[key]).resolve())
    config["paths"] = {
        "root": str(ROOT),
        "instance": str(etc_dir.parent.resolve()),
        "etc": str(etc_dir.resolve()),
        "var": str(var_dir.resolve()),
        "log": str((var_dir / "log").resolve()),
    }
    return config


def render(config: dict) -> dict[str, str]:
    """Return {file name: text} for the instance files of a resolved configuration."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return {out: environment.get_template(src).render(**config) for src, out in OUTPUTS.items()}


def write_instance(config: dict) -> list[Path]:
    """Write the rendered files and create the var folders they name."""
    etc = Path(config["paths"]["etc"])
    etc.mkdir(parents=True, exist_ok=True)
    var = Path(config["paths"]["var"])
    for folder in (var, var / "log", var / "cache"):
        folder.mkdir(parents=True, exist_ok=True)
    kind = config["storage"]["kind"]
    section = config["storage"][kind]
    if "path" in section:
        Path(section["path"]).parent.mkdir(parents=True, exist_ok=True)
    Path(section["blob_dir"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    written = []
    for name, text in render(config).items():
        target = etc / name
        target.write_text(text, encoding="utf-8")
        written.append(target)
    # What the other scripts need to know about this instance, in one small file.
    (etc / "instance.toml").write_text(
        "# Generated by backend/render_instance.py: the profile this instance was rendered from.\n"
        f'profile = "{config["profile"]["name"]}"\n'
        f'site_id = "{config["instance"]["site_id"]}"\n'
        f'host = "{config["server"]["host"]}"\n'
        f"port = {config['server']['port']}\n"
        f'var = "{config["paths"]["var"]}"\n'
        f'storage = "{kind}"\n'
        f'data_fs = "{section.get("path", "")}"\n'
        f"store_admin_password = {str(config['instance']['store_admin_password']).lower()}\n",
        encoding="utf-8",
    )
    written.append(etc / "instance.toml")
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", default=os.environ.get("PROFILE", "development"))
    parser.add_argument("--etc", type=Path, default=ROOT / "instance" / "etc")
    parser.add_argument("--var", type=Path, default=ROOT / "instance" / "var")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    try:
        config = resolve_paths(load_profile(args.profile, args.overrides), args.var, args.etc)
        written = write_instance(config)
    except ProfileError as error:
        print(f"プロファイルを読めません / cannot render profile {args.profile!r}: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"rendered {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
