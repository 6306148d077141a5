"""#20 item 2: a web worker does what its first requests would wait for before it takes
requests, and the ESCO taxonomy is loaded once per process even when threads ask at once."""

import importlib
import threading
import time

from perspectief.matching import engine_records


def test_the_taxonomy_is_loaded_once_when_threads_ask_at_once(monkeypatch):
    loads = []
    real = engine_records.taxonomy()

    def slow_load(_directory):
        loads.append(1)
        time.sleep(0.2)  # threads ask while the first is still loading
        return real

    monkeypatch.setattr(engine_records, "_taxonomy", [])
    monkeypatch.setattr(engine_records, "load_esco", slow_load)
    found = []
    threads = [
        threading.Thread(target=lambda: found.append(engine_records.taxonomy())) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loads) == 1
    assert found == [real] * 4


def test_the_web_application_loads_the_taxonomy_before_its_first_request(monkeypatch):
    monkeypatch.setattr(engine_records, "_taxonomy", [])
    wsgi = importlib.reload(importlib.import_module("perspectief.wsgi"))
    assert wsgi.application is not None
    assert engine_records._taxonomy  # loaded: no request waits for it
