"""``perspectief evaluate-search``: how well free text finds its ESCO occupation."""

from django.core.management.base import BaseCommand, CommandError

from perspectief.taxonomy import evaluation
from perspectief.taxonomy.embedding_baselines import MissingModel
from perspectief.taxonomy.models import Occupation

SETS = ["esco", *evaluation.HANDWRITTEN_SETS]


class Command(BaseCommand):
    help = (
        "Meet hoe goed vrije tekst (vacaturetitels) het juiste ESCO-beroep vindt: acc@1 en "
        "acc@5 op achtergehouden ESCO-synoniemen met ruis, of op de met de hand geschreven "
        "titels (docs/matching-evaluation.md). / Measure how well free text (job titles) "
        "finds its ESCO occupation."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--set",
            dest="title_sets",
            action="append",
            choices=SETS,
            help="esco: held-out ESCO labels with noise (default); handwritten(-dev/-test): "
            "hand-written vacancy and CV titles (repeatable)",
        )
        parser.add_argument(
            "--size", type=int, default=evaluation.DEFAULT_SIZE, help="number of ESCO titles"
        )
        parser.add_argument("--seed", type=int, default=evaluation.DEFAULT_SEED)
        parser.add_argument(
            "--method",
            action="append",
            choices=list(evaluation.METHODS),
            help="only this method (repeatable); default: "
            f"{', '.join(evaluation.DEFAULT_METHODS)}. The embedding methods need their model's "
            "package, which Perspectief does not install (docs/matching-evaluation.md)",
        )
        parser.add_argument(
            "--per-noise",
            action="store_true",
            help="also the accuracy per kind of noise (per sector and source for handwritten)",
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
        for title_set in options["title_sets"] or ["esco"]:
            self._examples(concepts, title_set, options)
            try:
                results = evaluation.evaluate(
                    concepts,
                    size=options["size"],
                    seed=options["seed"],
                    methods=options["method"],
                    title_set=title_set,
                )
            except MissingModel as error:
                raise CommandError(str(error)) from error
            except ValueError as error:
                raise CommandError(
                    f"De titels passen niet bij de geladen ESCO-versie. / The titles do not "
                    f"fit the ESCO version loaded: {error}"
                ) from error
            self._report(title_set, results, options["per_noise"])

    def _examples(self, concepts, title_set, options):
        if not options["examples"]:
            return
        if title_set == "esco":
            items = evaluation.titles(concepts, size=options["size"], seed=options["seed"])
        else:
            items = evaluation.handwritten_titles(evaluation.HANDWRITTEN_SETS[title_set])
        for title in items[: options["examples"]]:
            mark = " (synoniem / synonym)" if title.synonym else ""
            self.stdout.write(f"  {title.text!r} ← {title.source!r}{mark}")

    def _report(self, title_set, results, per_noise):
        first = results[0]
        if title_set == "esco":
            self.stdout.write(
                f"{first.titles} titels / titles, waarvan / of which {first.synonyms} "
                f"synoniemen / synonyms; {evaluation.HELD_OUT_PERCENT}% van de Nederlandse "
                "alternatieve labels achtergehouden / of the Dutch alternative labels held out"
            )
        else:
            self.stdout.write(
                f"{title_set}: {first.titles} met de hand geschreven titels / hand-written titles"
            )
        self.stdout.write(
            f"{'method':<14} {'acc@1':>6} {'acc@5':>6}   {'syn@1':>6} {'syn@5':>6}   ms/title"
        )
        for r in results:
            synonyms = (
                f"{r.synonyms_at1:>6.1%} {r.synonyms_at5:>6.1%}"
                if r.synonyms
                else f"{'-':>6} {'-':>6}"
            )
            self.stdout.write(
                f"{r.method:<14} {r.at1:>6.1%} {r.at5:>6.1%}   {synonyms}   "
                f"{r.seconds * 1000:>8.1f}"
            )
            if per_noise:
                for noise, (at1, at5, n) in r.per_noise.items():
                    self.stdout.write(f"    {noise:<14} {at1:>6.1%} {at5:>6.1%}  ({n})")
