"""The one reader of deployment profiles and of what a rendered instance records about itself.

A profile in ``profiles/<name>.toml`` says how an instance is stored and served; it may name a
shared base with ``extends = "base"`` (``profiles/base.toml`` holds the reverse-proxy defaults
every deployment shares). String values of the form ``${NAME:-default}`` are read from the
environment when a profile is loaded, so one production profile serves every host.

Rendering writes ``<etc>/instance.toml`` (the profile, site id, address and folders of that
instance) and a deployment ``<base>/etc/cluster.toml``; both are written by ``dumps`` and read
back here, by the server control, the scripts run inside Zope and the Makefile (through the
``saiyo`` command), never by hand-written parsing.
"""

from __future__ import annotations

from pathlib import Path

import copy
import os
import re
import tomllib


# backend/src/saiyo_backend/config.py -> the repository (the distribution is installed editable)
ROOT = Path(__file__).resolve().parents[3]
PROFILES = ROOT / "profiles"
TEMPLATES = ROOT / "instance" / "templates"
INSTANCE = ROOT / "instance"
STORAGE_KINDS = ("filestorage", "zeo", "relstorage")
STORE_KINDS = ("sqlite", "postgresql")
INSTANCE_RECORD = "instance.toml"
LAYOUT_RECORD = "cluster.toml"

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
    # Where page views, the audit trail and the assistant's questions live (kagoshima.saiyo.stores):
    # "sqlite" files under each client's var/, or one "postgresql" schema every machine shares.
    "stores": {"kind": "sqlite", "dsn": "", "schema": "saiyo_stores"},
}
REQUIRED = {
    "filestorage": ("path", "blob_dir"),
    "zeo": ("server", "storage", "client_cache_size", "blob_dir", "shared_blob_dir"),
    "relstorage": ("dsn", "blob_dir", "shared_blob_dir", "blob_cache_size", "keep_history"),
}
ENV_PATTERN = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}")


class ProfileError(Exception):
    """A profile that cannot be rendered; the message says what to fix."""


class NoInstance(Exception):
    """No rendered instance (or deployment) where one was expected; says what to run, in both languages."""

    def __init__(self, japanese: str, english: str):
        super().__init__(english)
        self.japanese, self.english = japanese, english


# Profiles ---------------------------------------------------------------------------


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


def merge(base: dict, override: dict) -> dict:
    """``override`` over ``base``, table by table (a copy; neither argument changes)."""
    result = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
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


def profile_names(folder: Path = PROFILES) -> list[str]:
    """The profiles an instance can be rendered from (bases that only others extend are left out)."""
    return sorted(path.stem for path in folder.glob("*.toml") if path.stem != "base")


def read_profile(name: str, folder: Path = PROFILES, _seen=()) -> dict:
    """The raw TOML of a profile with the profiles it ``extends`` merged beneath it."""
    path = folder / f"{name}.toml"
    if not path.is_file():
        raise ProfileError(
            f"no profile named {name!r} in profiles/ (known: {', '.join(profile_names(folder))})"
        )
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"profiles/{name}.toml is not valid TOML: {error}") from None
    parents = raw.pop("extends", [])
    if isinstance(parents, str):
        parents = [parents]
    result: dict = {}
    for parent in parents:
        if parent in _seen or parent == name:
            raise ProfileError(f"profiles/{name}.toml extends {parent!r} in a circle")
        result = merge(result, read_profile(parent, folder, (*_seen, name)))
    return merge(result, raw)


def load_profile(name: str, overrides=(), environ=None, folder: Path = PROFILES) -> dict:
    """Read ``profiles/<name>.toml`` (and its bases), apply defaults, overrides and the environment."""
    if name not in profile_names(folder):
        raise ProfileError(
            f"no profile named {name!r} in profiles/ (known: {', '.join(profile_names(folder))})"
        )
    raw = read_profile(name, folder)
    for item in overrides:
        if "=" not in item:
            raise ProfileError(f"--set needs section.key=value, got {item!r}")
        key, value = item.split("=", 1)
        _set(raw, key.strip(), value.strip())
    config = _expand(merge(DEFAULTS, raw), os.environ if environ is None else environ)
    config["profile"] = {"name": name, "file": str(folder / f"{name}.toml")}

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
    _apply_stores(config)
    return config


def _apply_stores(config: dict) -> None:
    """``[stores]`` as the environment the add-on reads (SAIYO_STORES_DSN, SAIYO_STORES_SCHEMA)."""
    stores = config["stores"]
    if stores["kind"] not in STORE_KINDS:
        raise ProfileError(f"stores.kind must be one of {', '.join(STORE_KINDS)}, got {stores['kind']!r}")
    if stores["kind"] != "postgresql":
        return
    if not stores.get("dsn") and config["storage"]["kind"] == "relstorage":
        stores["dsn"] = config["storage"]["relstorage"]["dsn"]  # the RelStorage server, its own schema
    if not stores.get("dsn"):
        raise ProfileError("stores.kind is 'postgresql' but stores.dsn is empty")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", stores.get("schema") or ""):
        raise ProfileError("stores.schema must be a lower-case SQL name (letters, digits, _)")
    config["environment"] = {
        **config["environment"],
        "SAIYO_STORES_DSN": stores["dsn"],
        "SAIYO_STORES_SCHEMA": stores["schema"],
    }


# TOML -------------------------------------------------------------------------------


def _toml_value(item) -> str:
    if isinstance(item, bool):
        return str(item).lower()
    if isinstance(item, (int, float)):
        return str(item)
    if isinstance(item, (list, tuple)):
        return "[" + ", ".join(_toml_value(entry) for entry in item) + "]"
    if isinstance(item, dict):
        return (
            "{" + ", ".join(f"{_toml_key(key)} = {_toml_value(entry)}" for key, entry in item.items()) + "}"
        )
    return '"' + str(item).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_value(key)


def dumps(data: dict, comment: str = "") -> str:
    """``data`` as TOML, every key on one line (tables inline): enough for the records written here."""
    lines = [f"# {line}" for line in comment.splitlines()]
    lines += [f"{_toml_key(key)} = {_toml_value(item)}" for key, item in data.items()]
    return "\n".join(lines) + "\n"


def write_record(path: Path, data: dict, comment: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(data, comment), encoding="utf-8")
    return path


def read_record(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


# What an instance records about itself ------------------------------------------------


def instance_record(config: dict) -> dict:
    """What the server control and the scripts need to know about an instance rendered from ``config``."""
    kind = config["storage"]["kind"]
    return {
        "profile": config["profile"]["name"],
        "site_id": config["instance"]["site_id"],
        "host": config["server"]["host"],
        "port": config["server"]["port"],
        "var": config["paths"]["var"],
        "storage": kind,
        "data_fs": config["storage"][kind].get("path", ""),
        "store_admin_password": bool(config["instance"]["store_admin_password"]),
    }


def write_instance_record(etc: Path, config: dict) -> Path:
    return write_record(
        etc / INSTANCE_RECORD,
        instance_record(config),
        "Generated by 'saiyo instance': the profile this instance was rendered from.",
    )


def read_instance(etc: Path) -> dict:
    """``<etc>/instance.toml``; raises NoInstance when the instance was never rendered."""
    path = Path(etc) / INSTANCE_RECORD
    if not path.is_file():
        raise NoInstance(
            f"{etc} にインスタンスがありません。先に make instance を実行してください。",
            f"no rendered instance in {etc}; run 'make instance' first.",
        )
    return read_record(path)


def running_instance() -> dict:
    """The record of the instance whose zope.conf this process loaded, or defaults.

    Instances not rendered from a profile (the buildout one) have no record: they get the
    default site id and never keep the administrator password on disk.
    """
    from App.config import getConfiguration

    configuration = getConfiguration()
    recorded = Path(configuration.instancehome) / "etc" / INSTANCE_RECORD
    if recorded.is_file():
        return read_record(recorded)
    return {"site_id": "Plone", "store_admin_password": False, "var": configuration.clienthome}


def read_layout(base: Path) -> dict:
    """``<base>/etc/cluster.toml`` of a rendered deployment; raises NoInstance without one."""
    path = Path(base).resolve() / "etc" / LAYOUT_RECORD
    if not path.is_file():
        raise NoInstance(
            f"{base} に構成がありません。先に make cluster を実行してください。",
            f"no rendered deployment in {base} (run 'make cluster' first)",
        )
    return read_record(path)
