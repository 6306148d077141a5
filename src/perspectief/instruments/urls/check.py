"""Pages of the instruments app: check (see instruments/urls/__init__.py)."""

urlpatterns: list = []
