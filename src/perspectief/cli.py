"""The ``perspectief`` console command: Django's management commands under one name.

``perspectief demo``, ``perspectief token create --user NAME``, ``perspectief load_reference``,
``perspectief import_esco DIR``, ``perspectief migrate`` ... (``load-reference`` with a hyphen
works too). The settings default to the
embedded configuration (``perspectief.conf.dev``); set ``DJANGO_SETTINGS_MODULE`` for another.
"""

import os
import sys

import django
from django.core.management import execute_from_command_line


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspectief.conf.dev")

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    django.setup()
    # The access log's module reads models, which exist only after django.setup().
    from perspectief.audit import access  # noqa: PLC0415

    # A command's processings of personal data are logged like a request's: collected in
    # one scope and written also when the command fails half-way.
    with access.scope(request="cli " + " ".join(args[:2])):
        execute_from_command_line(["perspectief", *args])


if __name__ == "__main__":
    main()
