"""Settings from the environment; production settings pass Django's deployment check."""

import os
import subprocess
import sys


def run_check(env_extra):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "jiequ", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = run_check(
        {
            "DJANGO_SETTINGS_MODULE": "jiequ.config.production",
            "JIEQU_SECRET_KEY": "x" * 30 + "-production-secret-key-with-enough-entropy-9f8e7d6c",
            "JIEQU_ALLOWED_HOSTS": "jiequ.example.org",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "JIEQU_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "jiequ.config.production"
    result = subprocess.run(
        [sys.executable, "-m", "jiequ", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "JIEQU_SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked_for(settings):
    from jiequ.config import settings as module

    assert module.env_bool("JIEQU_DEBUG_NOT_SET_ANYWHERE") is False
    assert settings.DEBUG is (os.environ.get("JIEQU_DEBUG", "") in {"1", "true", "yes", "on"})


def test_development_secret_key_is_kept_under_var(tmp_path):
    code = (
        "import jiequ.config.settings as s, pathlib; "
        "print(s.SECRET_KEY == (pathlib.Path(s.VAR_DIR) / 'secret_key').read_text().strip())"
    )
    env = {k: v for k, v in os.environ.items() if k != "JIEQU_SECRET_KEY"}
    env["JIEQU_VAR_DIR"] = str(tmp_path)
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert first.stdout.strip() == "True", first.stderr
    key = (tmp_path / "secret_key").read_text()
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    assert (tmp_path / "secret_key").read_text() == key  # kept, not regenerated
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_database_url_selects_postgresql():
    code = "import jiequ.config.settings as s; print(s.DATABASES['default']['ENGINE'])"
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "django.db.backends.postgresql"
    env.pop("DATABASE_URL")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "django.db.backends.sqlite3"
