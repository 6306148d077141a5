"""The deployment's files agree with the settings: deploy/env.example names every variable
the settings read and none they do not (a typo there would stop start-up), and the
gunicorn configuration keeps the access log off and the metrics' files right."""

import re
import runpy
from pathlib import Path

from perspectief.conf.environ import REGISTRY

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def test_env_example_lists_every_setting_and_only_those():
    text = (DEPLOY / "env.example").read_text()
    named = set(re.findall(r"^#?([A-Z_]+)=", text, flags=re.MULTILINE))
    assert not sorted(set(REGISTRY) - named), "missing from deploy/env.example"
    assert not sorted(n for n in named if n.startswith("PERSPECTIEF_") and n not in REGISTRY)


def test_gunicorn_config_logs_no_paths_and_cleans_the_metrics_directory(tmp_path, monkeypatch):
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["accesslog"] is None  # the platform's own request line, without paths
    assert config["workers"] >= 3
    stale = tmp_path / "counter_123.db"
    stale.write_bytes(b"")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    config["on_starting"](server=None)
    assert not stale.exists()
