"""Pages of the instruments app: applications (see instruments/urls/__init__.py)."""

urlpatterns: list = []
