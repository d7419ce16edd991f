"""Settings come from the environment, with safe defaults; production passes the deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from factsite.settings import database_from_url, env_flag, env_int, env_list, env_number

ROOT = Path(__file__).resolve().parent.parent


def test_sqlite_is_embedded_in_wal_mode():
    config = database_from_url("sqlite:////tmp/factsite-test.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_sqlite_waits_for_the_writer_before_it_instead_of_failing():
    assert database_from_url("sqlite:////tmp/f.sqlite3")["OPTIONS"]["timeout"] == 20
    config = database_from_url("sqlite:////tmp/f.sqlite3", busy_timeout=5)
    assert config["OPTIONS"]["timeout"] == 5


def test_a_requests_end_keeps_the_sqlite_connection_for_the_next(tmp_path):
    # Django closes the connections at each request's end (close_old_connections) unless they
    # may be kept: opening one a request cost the claims list about 4 ms of CPU on SQLite
    # (docs/PERFORMANCE.md). The test client never closes them, so a process is asked.
    environment = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    environment.update(
        DATABASE_URL=f"sqlite:///{tmp_path}/record.sqlite3",
        FACTSITE_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="factsite.settings",
    )
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from django.db import close_old_connections, connection; "
            "connection.ensure_connection(); opened = connection.connection; "
            "close_old_connections(); print(connection.connection is opened)",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert shown.stdout.strip() == "True", shown.stderr


def test_numbers_read_the_environment_and_refuse_a_bad_value_loudly(monkeypatch):
    monkeypatch.setenv("FACTSITE_NUMBER", "2.5")
    assert env_number("FACTSITE_NUMBER", 1.0, minimum=0) == 2.5
    assert env_int("FACTSITE_UNSET_NUMBER", 7, minimum=1) == 7
    for bad in ("soon", "-1", "nan"):
        monkeypatch.setenv("FACTSITE_NUMBER", bad)
        with pytest.raises(ImproperlyConfigured, match="FACTSITE_NUMBER"):
            env_number("FACTSITE_NUMBER", 1.0, minimum=0)
    monkeypatch.setenv("FACTSITE_NUMBER", "2.5")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("FACTSITE_NUMBER", 1, minimum=1)


def test_a_bad_import_limit_stops_the_server():
    result = manage("check", IMPORT_SYNC_MAX_ROWS="lots")
    assert result.returncode != 0
    assert "IMPORT_SYNC_MAX_ROWS must be a whole number" in result.stderr


def test_a_postgres_url_selects_postgresql():
    config = database_from_url("postgres://editor:secret@db.example.org:5432/factsite")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["NAME"], config["USER"]) == (
        "db.example.org",
        "factsite",
        "editor",
    )


def test_flags_and_lists_read_the_environment(monkeypatch):
    monkeypatch.setenv("FACTSITE_FLAG", "yes")
    monkeypatch.setenv("FACTSITE_LIST", "a.example.org, b.example.org,")
    assert env_flag("FACTSITE_FLAG", False) is True
    assert env_flag("FACTSITE_UNSET", False) is False
    assert env_list("FACTSITE_LIST", "") == ["a.example.org", "b.example.org"]


def test_a_flag_takes_the_known_yes_and_no_words_in_any_case(monkeypatch):
    for word, meaning in [("1", True), ("Yes", True), (" on ", True), ("TRUE", True)]:
        monkeypatch.setenv("FACTSITE_FLAG", word)
        assert env_flag("FACTSITE_FLAG", False) is meaning, word
    for word in ["0", "no", "OFF", "false"]:
        monkeypatch.setenv("FACTSITE_FLAG", word)
        assert env_flag("FACTSITE_FLAG", True) is False, word


def test_a_flag_with_any_other_word_is_refused_naming_the_variable_and_the_words(monkeypatch):
    for word in ["enable", "enabled", "y", "2", "nope"]:
        monkeypatch.setenv("FACTSITE_FLAG", word)
        with pytest.raises(ImproperlyConfigured) as refused:
            env_flag("FACTSITE_FLAG", True)
        message = str(refused.value)
        assert message.startswith("FACTSITE_FLAG must be one of 1, true, yes, on (yes)")
        assert "0, false, no, off (no)" in message
        assert repr(word) in message


def test_https_enable_stops_the_server_instead_of_turning_https_off():
    result = manage("check", HTTPS="enable")
    assert result.returncode != 0
    assert "HTTPS must be one of" in result.stderr
    assert "got 'enable'" in result.stderr


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "HTTPS"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_debug_is_off_by_default():
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert result.stdout.strip().endswith("False"), result.stderr


def test_production_settings_pass_the_deploy_checks(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 30 + "-a-long-random-production-key-for-the-checks",
        ALLOWED_HOSTS="factsite.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode == 0, result.stdout + result.stderr
