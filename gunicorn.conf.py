"""gunicorn settings for factcheck: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value can be overridden by the environment (GUNICORN_* below, or
gunicorn's own command-line flags).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}")

# Processes do the work: 2 x cores + 1 of them, so one waiting on the database leaves a core to another.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# One request thread per worker, on either database: with two, workers died of SIGSEGV
# under load, the Python heap corrupted while two threads of one process served
# requests, first seen on SQLite and on 2026-11-29 on PostgreSQL too (README, "A worker
# died of SIGSEGV"); with one, no run did, and on PostgreSQL two gained nothing measurable.
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# gthread, taking a share of new connections rather than all it can (factcheck/serving.py).
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "factcheck.serving.SharingThreadWorker")
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak never grows unbounded. Not often: a new
# worker costs about 2 s of CPU to start and begins with an empty page cache, and at
# 5,000 requests each of five workers restarted every few seconds under load.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# The app writes its own JSON line per request; gunicorn's access log would repeat it.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind a proxy, trust X-Forwarded-* only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """The app is loaded: what it built so far lives as long as the worker.

    Frozen, those objects are left out of the cyclic collector's full passes,
    which otherwise walk all of them and stall whichever request is running
    (tens of milliseconds, seen at the 99th percentile under load).
    """
    import faulthandler
    import gc

    gc.freeze()
    # A worker killed by a fatal signal (SIGSEGV in a C extension, say) writes every
    # thread's Python stack to the error log first: gunicorn itself logs only the signal.
    faulthandler.enable()
