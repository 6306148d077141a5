"""The ``perspectief`` console command: Django's management commands under one name.

``perspectief demo``, ``perspectief token create --user NAME``, ``perspectief load-reference``,
``perspectief import-esco DIR``, ``perspectief migrate`` ... The settings default to the
embedded configuration (``perspectief.conf.dev``); set ``DJANGO_SETTINGS_MODULE`` for another.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspectief.conf.dev")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["perspectief", *args])


if __name__ == "__main__":
    main()
