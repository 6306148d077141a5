"""``perspectief evaluate-search``: how well free text finds its ESCO occupation."""

from django.core.management.base import BaseCommand, CommandError

from perspectief.taxonomy import evaluation
from perspectief.taxonomy.models import Occupation


class Command(BaseCommand):
    help = (
        "Meet hoe goed vrije tekst (vacaturetitels) het juiste ESCO-beroep vindt: acc@1 en "
        "acc@5 op achtergehouden ESCO-synoniemen met ruis (docs/matching-evaluation.md). / "
        "Measure how well free text (job titles) finds its ESCO occupation."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size", type=int, default=evaluation.DEFAULT_SIZE, help="number of titles"
        )
        parser.add_argument("--seed", type=int, default=evaluation.DEFAULT_SEED)
        parser.add_argument(
            "--method",
            action="append",
            choices=list(evaluation.METHODS),
            help="only this method (repeatable); default: all",
        )
        parser.add_argument(
            "--per-noise", action="store_true", help="also the accuracy per kind of noise"
        )
        parser.add_argument(
            "--examples", type=int, default=0, help="print this many titles of the set"
        )

    def handle(self, *args, **options):
        if options["size"] < 1:
            raise CommandError("--size moet minstens 1 zijn / --size must be at least 1")
        if not Occupation.objects.exists():
            raise CommandError(
                "Geen ESCO-beroepen geladen: draai eerst perspectief load_reference. / "
                "No ESCO occupations loaded: run perspectief load_reference first."
            )
        concepts = evaluation.concepts_from_database()
        if options["examples"]:
            items = evaluation.titles(concepts, size=options["size"], seed=options["seed"])
            for title in items[: options["examples"]]:
                mark = " (synoniem / synonym)" if title.synonym else ""
                self.stdout.write(f"  {title.text!r} ← {title.source!r}{mark}")
        results = evaluation.evaluate(
            concepts, size=options["size"], seed=options["seed"], methods=options["method"]
        )
        first = results[0]
        self.stdout.write(
            f"{first.titles} titels / titles, waarvan / of which {first.synonyms} synoniemen / "
            f"synonyms; {evaluation.HELD_OUT_PERCENT}% van de Nederlandse alternatieve labels "
            "achtergehouden / of the Dutch alternative labels held out"
        )
        self.stdout.write(
            f"{'method':<12} {'acc@1':>6} {'acc@5':>6}   {'syn@1':>6} {'syn@5':>6}   ms/title"
        )
        for r in results:
            self.stdout.write(
                f"{r.method:<12} {r.at1:>6.1%} {r.at5:>6.1%}   {r.synonyms_at1:>6.1%} "
                f"{r.synonyms_at5:>6.1%}   {r.seconds * 1000:>8.1f}"
            )
            if options["per_noise"]:
                for noise, (at1, at5, n) in r.per_noise.items():
                    self.stdout.write(f"    {noise:<14} {at1:>6.1%} {at5:>6.1%}  ({n})")
