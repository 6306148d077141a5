"""gunicorn's configuration for Perspectief (docs/deployment.md).

    gunicorn --config /opt/perspectief/deploy/gunicorn.conf.py perspectief.wsgi

Every setting can be overridden on the command line or with GUNICORN_CMD_ARGS; the ones
read from the environment here are named below. gunicorn reads this module's globals as
settings, so helpers are imported under an underscore name.
"""

import glob as _glob
import multiprocessing as _multiprocessing
import os as _os

from prometheus_client import multiprocess as _multiprocess

# --- processes --------------------------------------------------------------------------------
# Listen on the loopback only: the reverse proxy on this machine (deploy/nginx.conf) is the
# way in. Set GUNICORN_BIND=0.0.0.0:8000 when the proxy or load balancer is elsewhere.
bind = _os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: the platform's pages are short database work; long work (imports,
# matching runs, mail) runs in the Celery workers. 2 x CPUs + 1, as gunicorn advises.
workers = int(_os.environ.get("GUNICORN_WORKERS", 2 * _multiprocessing.cpu_count() + 1))
worker_class = "sync"
# A request that takes longer than this is killed (and logged by gunicorn): the slowest
# pages (an export, the fairness report) take seconds. The proxy waits a little longer.
timeout = int(_os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Workers are replaced after this many requests (with jitter, not all at once), so that
# memory a worker gathered is given back.
max_requests = 2000
max_requests_jitter = 200
# The proxy on this machine tells the client's scheme (X-Forwarded-Proto); trust only it.
forwarded_allow_ips = _os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# --- logs -------------------------------------------------------------------------------------
# No access log: the platform logs every request itself, as one structured line with the
# route's name (never the path or query string, which can hold personal data) and the
# request id (perspectief.core.observability). gunicorn's own messages go to standard error.
accesslog = None
errorlog = "-"
loglevel = "info"
capture_output = True
# gunicorn's own lines (a worker booted, a timeout) as one JSON object each too, like the
# platform's, unless PERSPECTIEF_LOG_FORMAT=console.
if _os.environ.get("PERSPECTIEF_LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "perspectief.core.logging.JSONFormatter"}},
        "handlers": {
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": "INFO", "handlers": []},
        "loggers": {
            "gunicorn.error": {
                "level": "INFO",
                "handlers": ["error_console"],
                "propagate": False,
                "qualname": "gunicorn.error",
            },
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        },
    }

# --- metrics (prometheus-client's multiprocess mode) ------------------------------------------
# With PROMETHEUS_MULTIPROC_DIR set (the systemd unit sets it to an empty runtime
# directory), every worker writes its metrics to files there and /metrics adds them up.


def on_starting(server):
    """Before the first worker starts: remove the files of a previous run."""
    directory = _os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        _os.makedirs(directory, exist_ok=True)
        for path in _glob.glob(_os.path.join(directory, "*.db")):
            _os.remove(path)


def child_exit(server, worker):
    """A worker ended (recycled or killed): its live gauges no longer count."""
    if _os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        _multiprocess.mark_process_dead(worker.pid)
