import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspectief.conf.production")

application = get_wsgi_application()

# What the first requests of a worker would otherwise wait for, done before the worker
# takes requests (#20: under load the first pages of three cold workers took seconds):
# every app's URLs and views imported and the URL resolver built (about 0.4 s of CPU),
# the translations read, and the ESCO taxonomy matching ranks with (about a second).
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from perspectief.matching.engine_records import taxonomy  # noqa: E402

reverse("health")
for _language in ("nl", "en"):
    with translation.override(_language):
        translation.gettext("Skip to main content")  # on every page
taxonomy()
