"""gunicorn.conf.py: the production server's settings and hooks."""

from __future__ import annotations

import faulthandler
import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "4")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:9999")
    conf = runpy.run_path(str(CONF))
    assert (conf["workers"], conf["threads"], conf["bind"]) == (3, 4, "127.0.0.1:9999")
    assert conf["worker_class"] == "factcheck.serving.SharingThreadWorker"


def test_workers_run_one_request_thread_on_either_database(monkeypatch):
    """Two request threads of one worker corrupted the heap under load (SQLite, then PostgreSQL)."""
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    for url in ("sqlite:////srv/factcheck.sqlite3", "postgresql://factcheck@db/factcheck"):
        monkeypatch.setenv("FACTCHECK_DATABASE_URL", url)
        assert runpy.run_path(str(CONF))["threads"] == 1


def test_a_loaded_worker_freezes_what_the_app_built_and_reports_fatal_signals():
    conf = runpy.run_path(str(CONF))
    gc.unfreeze()
    was_enabled = faulthandler.is_enabled()
    faulthandler.disable()
    try:
        conf["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
        assert faulthandler.is_enabled()
    finally:
        gc.unfreeze()
        if was_enabled:
            faulthandler.enable()
        else:
            faulthandler.disable()
