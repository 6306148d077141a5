from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("count/", views.inbox_count_view, name="count"),
    path("e-mail/", views.preferences_view, name="preferences"),
    path("sent-mail/", views.mail_log_view, name="mail-log"),
]

#: The demo's mail page, outside the inbox (it is public, and only exists in the demo).
demo_urlpatterns = [
    path("demo-mail/", views.demo_mail_view, name="demo-mail"),
    path("demo-mail/<str:name>/", views.demo_mail_view, name="demo-mail-detail"),
]
