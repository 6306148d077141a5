"""``perspectief rotate_bsn_keys``: re-encrypt every stored BSN with the first key of
``PERSPECTIEF_BSN_KEYS`` and renew every blind index with ``PERSPECTIEF_BSN_INDEX_KEY``;
in batches, resumable (run it again after an interruption), with a count at the end.
See docs/configuration.md, "Rotating the BSN keys"."""

from django.core.management.base import BaseCommand, CommandError

from perspectief.candidates.services import bsn_rotation


class Command(BaseCommand):
    help = (
        "Re-encrypt every BSN with the first key of PERSPECTIEF_BSN_KEYS and renew every "
        "blind index with PERSPECTIEF_BSN_INDEX_KEY (in batches; run again to resume)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=bsn_rotation.DEFAULT_BATCH_SIZE,
            help="Rows changed per transaction (default %(default)s).",
        )

    def handle(self, *args, **options):
        size = options["batch_size"]
        if size < 1:
            raise CommandError("--batch-size moet minstens 1 zijn / must be at least 1.")

        def progress(counts):
            if options["verbosity"] >= 2:
                self.stdout.write(
                    f"  batch {counts.batches}: {counts.candidates} + "
                    f"{counts.import_rejections} vernieuwd / renewed"
                )

        try:
            counts = bsn_rotation.rotate(batch_size=size, progress=progress)
        except bsn_rotation.KeyMissing as missing:
            raise CommandError(
                f"De BSN van {missing.what} {missing.pk} is met geen van de sleutels in "
                "PERSPECTIEF_BSN_KEYS te ontsleutelen: zet de oude sleutel(s) achter de nieuwe "
                "en draai het commando opnieuw; wat al klaar was blijft klaar. / The BSN of "
                f"{missing.what} {missing.pk} cannot be decrypted with any key in "
                "PERSPECTIEF_BSN_KEYS: put the old key(s) after the new one and run again; what "
                "is done stays done."
            ) from None
        left = sum(counts.remaining.values())
        self.stdout.write(
            f"{counts.candidates} BSN's van werkzoekenden vernieuwd "
            f"({counts.candidates_current} al onder de nieuwe sleutels) / job seekers' BSNs "
            f"renewed ({counts.candidates_current} already under the new keys)"
        )
        self.stdout.write(
            f"{counts.import_rejections} afgewezen importregel(s) vernieuwd "
            f"({counts.import_rejections_current} al onder de nieuwe sleutels) / rejected "
            f"import rows renewed ({counts.import_rejections_current} already under the new keys)"
        )
        self.stdout.write(f"{left} nog onder een oude sleutel / still under an old key")
        if left:
            raise CommandError(
                f"{left} BSN('s) niet vernieuwd (tijdens het draaien gewijzigd?); draai het "
                f"commando opnieuw / not renewed (changed meanwhile?); run the command again."
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Klaar: de oude sleutels kunnen uit PERSPECTIEF_BSN_KEYS en "
                "PERSPECTIEF_BSN_INDEX_OLD_KEYS. / Done: the old keys can be removed."
            )
        )
