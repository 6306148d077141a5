"""Pages of the instruments app: catalogue (see instruments/urls/__init__.py)."""

urlpatterns: list = []
