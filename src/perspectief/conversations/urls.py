"""Page URLs of notes and messages, mounted at the site's root: the job seeker's
``/messages/``, staff answering a person (``/messages/<person>/``) and a note about a person
(``/notes/<person>/``). Both are read on the person's page (``panels.py``)."""

from django.urls import path

from .views import messages, notes

app_name = "conversations"

urlpatterns = [
    path("messages/", messages.own_messages_view, name="own"),
    path("messages/<uuid:uuid>/", messages.reply_view, name="reply"),
    path("notes/<uuid:uuid>/", notes.note_add_view, name="note-add"),
]
