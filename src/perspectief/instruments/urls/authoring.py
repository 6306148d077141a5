"""Pages of the instruments app: authoring (see instruments/urls/__init__.py)."""

urlpatterns: list = []
