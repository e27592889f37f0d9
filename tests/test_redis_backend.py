"""Deployments that outgrow one machine: REDIS_URL switches background work to Redis
(django-tasks-rq). A real Redis on 127.0.0.1:6379 carries the messages of a real encounter
to a real RQ worker."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REDIS = os.environ.get("CI_REDIS_URL", "redis://127.0.0.1:6379/15")
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.redis

SCRIPT = """
import django; django.setup()
from django.conf import settings
from patronshield.libraries.demo import seed_demo
from patronshield.desk import services
from patronshield.accounts.models import User
assert settings.TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
seed_demo()
e = services.encounter_start(user=User.objects.get(email="desk@example.org"))
print(e.pk)
"""

CHECK = """
import django; django.setup()
from patronshield.notifications.models import Notification
print(sorted(Notification.objects.values_list("status", flat=True)))
"""


def redis_up():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def test_messages_travel_through_redis(tmp_path):
    if not redis_up():
        pytest.fail("Redis is not running on 127.0.0.1:6379")
    env = {
        **os.environ,
        "REDIS_URL": REDIS,
        "PATRONSHIELD_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "DJANGO_SETTINGS_MODULE": "patronshield.settings",
        "EMAIL_URL": "console://",
    }
    subprocess.run([BIN / "patronshield", "manage", "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [BIN / "patronshield", "manage", "rqempty", "default"], env=env, capture_output=True
    )
    started = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, check=True, capture_output=True, text=True
    )
    assert started.stdout.strip().isdigit()
    worker = subprocess.run(
        [
            BIN / "patronshield",
            "manage",
            "rqworker",
            "default",
            "--burst",
            "--job-class",
            "django_tasks_rq.Job",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Law enforcement at Ecorse Public Library" in worker.stdout, worker.stderr[-2000:]
    statuses = subprocess.run(
        [sys.executable, "-c", CHECK], env=env, check=True, capture_output=True, text=True
    ).stdout
    assert statuses.strip() == "['sent', 'sent']"
