"""Limits of what partners and job seekers write to each other."""

#: The longest note between partners: room for a hand-off or a question, not a file.
NOTE_MAX_LENGTH = 2000

#: The longest message between a job seeker and the professionals who serve them.
MESSAGE_MAX_LENGTH = 2000

#: Notes and messages shown at once on a page (the newest; the API gives the others).
SHOWN = 100

#: Items one actor's inbox takes from one source at most (the newest first).
INBOX_LIMIT = 100
