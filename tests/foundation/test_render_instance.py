"""The instance renderer: every profile renders into files Zope accepts."""

from pathlib import Path
from saiyo_backend import config as profiles
from saiyo_backend.instance import render as render_instance

import configparser
import pytest
import subprocess
import sys


ROOT = Path(__file__).resolve().parents[2]
PROFILES = profiles.profile_names()


def rendered(tmp_path, profile, overrides=(), environ=None):
    config = profiles.load_profile(profile, overrides, environ=environ or {})
    config = render_instance.resolve_paths(config, tmp_path / "var", tmp_path / "etc")
    render_instance.write_instance(config)
    return config, tmp_path / "etc"


def load_zope_conf(path):
    """Parse a zope.conf the way runwsgi does (Zope's own schema and loader)."""
    from Zope2.Startup.options import ZopeWSGIOptions

    options = ZopeWSGIOptions(configfile=str(path))
    options()
    return options.configroot


def test_the_four_deployment_profiles_exist():
    assert {"development", "production", "zeo", "relstorage"} <= set(PROFILES)


@pytest.mark.parametrize("profile", [p for p in PROFILES if p != "relstorage"])
def test_zope_conf_is_valid_for_zope(tmp_path, profile):
    _, etc = rendered(tmp_path, profile)
    config = load_zope_conf(etc / "zope.conf")
    database = config.databases[0]
    assert database.name == "main"
    assert config.debug_mode is (profile == "development")


def test_relstorage_profile_expresses_a_postgresql_client(tmp_path):
    _, etc = rendered(tmp_path, "relstorage", environ={"SAIYO_PG_DSN": "dbname=x host=db"})
    text = (etc / "zope.conf").read_text()
    assert text.lstrip("# \n").count("%import relstorage") == 1
    assert "<relstorage>" in text and "<postgresql>" in text
    assert "dsn dbname=x host=db" in text
    assert "shared-blob-dir false" in text


def test_zeo_profile_expresses_a_zeo_client(tmp_path):
    _, etc = rendered(tmp_path, "zeo", environ={"SAIYO_ZEO_ADDRESS": "10.0.0.5:8100"})
    config = load_zope_conf(etc / "zope.conf")
    storage = config.databases[0].config.storage
    assert storage.config.server[0].address == ("10.0.0.5", 8100)
    assert storage.config.shared_blob_dir is True


def test_development_serves_the_site_at_root_on_loopback(tmp_path):
    config, etc = rendered(tmp_path, "development")
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(etc / "zope.ini")
    assert ini["server:main"]["listen"] == "127.0.0.1:8080"
    assert "site_at_root" in ini["pipeline:main"]["pipeline"].split()
    zope_conf = (etc / "zope.conf").read_text()
    assert f"path {tmp_path / 'var' / 'filestorage' / 'Data.fs'}" in zope_conf
    assert f"blob-dir {tmp_path / 'var' / 'blobstorage'}" in zope_conf


def test_production_has_no_debug_and_trusts_only_the_proxy(tmp_path):
    config, etc = rendered(
        tmp_path, "production", environ={"SAIYO_PORT": "8090", "SAIYO_TRUSTED_PROXY": "10.1.2.3"}
    )
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(etc / "zope.ini")
    assert ini["server:main"]["listen"] == "127.0.0.1:8090"
    assert ini["server:main"]["trusted_proxy"] == "10.1.2.3"
    # the reverse proxy adds the virtual-host path; Zope does not rewrite by itself
    assert "site_at_root" not in ini["pipeline:main"]["pipeline"]
    assert "debug-mode off" in (etc / "zope.conf").read_text()
    assert "store_admin_password = false" in (etc / "instance.toml").read_text()
    # production logs go to files only, not to a console
    assert ini["logger_root"]["handlers"].strip() == "eventlog"


def test_overrides_and_environment(tmp_path):
    config, _ = rendered(tmp_path, "development", ["server.port=9123", "storage.cache_size=1000"])
    assert config["server"]["port"] == 9123
    assert config["storage"]["cache_size"] == 1000


@pytest.mark.parametrize(
    "overrides, message",
    [
        (["storage.kind='mysql'"], "storage.kind must be one of"),
        (["server.port=99999"], "out of range"),
        (["server.port='http'"], "whole numbers"),
        (["storage.filestorage={}"], "lacks: path, blob_dir"),
        (["nonsense"], "--set needs"),
    ],
)
def test_bad_profiles_are_refused_with_the_reason(overrides, message):
    with pytest.raises(profiles.ProfileError, match=message):
        profiles.load_profile("development", overrides, environ={})


def test_unknown_profile_on_the_command_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "saiyo_backend", "instance", "--profile", "nope", "--etc", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "no profile named 'nope'" in result.stderr
    assert "プロファイル" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_missing_environment_variable_without_default():
    with pytest.raises(profiles.ProfileError, match="SAIYO_X is not set"):
        profiles._expand("${SAIYO_X}", {})


def test_deployment_profiles_share_the_proxy_of_the_base_profile():
    shared = profiles.read_profile("base")["proxy"]
    for name in ("production", "zeo", "relstorage"):
        assert profiles.read_profile(name)["proxy"] == shared, name
    assert "proxy" not in profiles.read_profile("development")
    with pytest.raises(profiles.ProfileError, match="no profile named 'base'"):
        profiles.load_profile("base", environ={})


def test_a_profile_overrides_what_it_extends(tmp_path):
    (tmp_path / "base.toml").write_text("[proxy]\nhttp_port = 80\nhttps_port = 443\n")
    (tmp_path / "site.toml").write_text(
        'extends = "base"\n[proxy]\nhttps_port = 8443\n'
        '[storage]\nkind = "filestorage"\n[storage.filestorage]\npath = "Data.fs"\nblob_dir = "blobs"\n'
    )
    (tmp_path / "loop.toml").write_text('extends = "loop"\n')
    config = profiles.load_profile("site", environ={}, folder=tmp_path)
    assert config["proxy"] == {"http_port": 80, "https_port": 8443}
    assert "extends" not in config
    with pytest.raises(profiles.ProfileError, match="in a circle"):
        profiles.load_profile("loop", environ={}, folder=tmp_path)


def test_instance_record_reads_back_what_was_written(tmp_path):
    config, etc = rendered(tmp_path, "development", ["""instance.site_id='採用 "x" \\'"""])
    record = profiles.read_instance(etc)
    assert record["site_id"] == '採用 "x" \\'
    assert record["port"] == config["server"]["port"]
    assert record["data_fs"] == config["storage"]["filestorage"]["path"]
    with pytest.raises(profiles.NoInstance, match="make instance"):
        profiles.read_instance(tmp_path / "nowhere")
