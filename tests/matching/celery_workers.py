"""The Celery application of the workers that test_distributed_run.py starts: the platform's
own (``perspectief.celery``), with a short visibility timeout so a killed worker's task is
delivered again within seconds, and the ranking slowed down (a pause per place) so a worker
is still busy with a part when the test kills it. Not used by the platform itself."""

import os
import time

from perspectief.celery import app
from perspectief.matching.engine.candidate_index import CandidateIndex

#: Seconds after which Redis gives a task a worker took but never acknowledged to another.
VISIBILITY_TIMEOUT = 12
#: Seconds the ranking is slowed down by per place in these workers.
PAUSE = float(os.environ.get("PERSPECTIEF_TEST_RANK_PAUSE", "0.4"))

app.conf.broker_transport_options = {
    "visibility_timeout": VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

_ranked = CandidateIndex.top_blocks


def _slowly(self, *args, **kwargs):
    for block in _ranked(self, *args, **kwargs):
        time.sleep(PAUSE * len(block))
        yield block


CandidateIndex.top_blocks = _slowly  # type: ignore[method-assign]
