"""The demo's mail page, linked from every page's footer while the demo runs."""

from django.conf import settings


def demo_mail(request):
    return {"demo_mail": settings.DEMO_MODE}
