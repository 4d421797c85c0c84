"""Production settings: `check --deploy` is clean, and a missing SECRET_KEY stops the start."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "false",
    "SECRET_KEY": "k7#Qm2!vX9pL4$wR8zT1&nB6yH3^cF5jD0@sG7eA2*uK9iO4%rM1",
    "ALLOWED_HOSTS": "kiosque.example.org",
    "SITE_URL": "https://kiosque.example.org",
    "DATABASE_URL": "postgres://kiosque@db.internal:5432/kiosque",
    "REDIS_URL": "redis://cache.internal:6379/1",
    "CELERY_BROKER_URL": "redis://cache.internal:6379/0",
    "STRIPE_SECRET_KEY": "sk_live_example",
    "STRIPE_PUBLISHABLE_KEY": "pk_live_example",
    "STRIPE_WEBHOOK_SECRET": "whsec_example",
}


def manage(*args, **env):
    # Only PATH and the production variables: nothing of the test run's own environment.
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_runs_with_the_development_key():
    result = manage("check", DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_no_settings_file_undoes_another():
    """config/settings.py imports Oscar's and Kiosque's settings files at its end: a name both
    define (Oscar's defaults star-imported again, say) would silently undo the first."""
    import ast

    from config import settings_kiosque, settings_oscar

    tree = ast.parse((settings.BASE_DIR / "config" / "settings.py").read_text())
    ours = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id.isupper()
    }
    for module in (settings_oscar, settings_kiosque):
        assert ours & {name for name in vars(module) if name.isupper()} == set(), module
    # Oscar's emails (order confirmations, sign-ups) leave from the site's address.
    assert settings.OSCAR_FROM_EMAIL == settings.DEFAULT_FROM_EMAIL
