"""The contribution points through which higher apps add to lower apps' pages."""

from django.test import RequestFactory

from perspectief.core.contributions import Contributions, Panel, render_panels


def test_contributions_keep_their_order_and_register_once_per_key():
    points = Contributions[str]("test")
    points.register("b", "second", order=20)
    points.register("a", "first", order=10)
    points.register("c", "also second, after b", order=20)
    points.register("a", "first, registered again", order=10)
    assert list(points) == ["first, registered again", "second", "also second, after b"]
    assert len(points) == 3


def test_a_panel_that_returns_none_is_left_out(tmp_path, settings):
    (tmp_path / "panel.html").write_text("<p>{{ name }}</p>")
    settings.TEMPLATES = [
        {"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [tmp_path]}
    ]
    panels = Contributions[Panel]("page")
    panels.register("shown", Panel("panel.html", lambda request, person: {"name": person}))
    panels.register("hidden", Panel("panel.html", lambda request, person: None))
    html = render_panels(panels, RequestFactory().get("/"), person="<b>Ada</b>")
    assert html == ["<p>&lt;b&gt;Ada&lt;/b&gt;</p>"]
