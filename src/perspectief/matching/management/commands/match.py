"""``perspectief match run|assign|evaluate``: the matching engine on files (docs/matching.md);
``perspectief match fairness --region CODE``: the fairness report of a region (JSON).

``run``, ``assign`` and ``evaluate`` need no database: the ESCO taxonomy and the PC4
coordinates come from the data shipped with the platform. Malformed lines are reported on
standard error with file and line and left out; the command then exits with status 2 after
writing its output.
"""

import json
import sys
import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from perspectief.matching.engine import files
from perspectief.matching.engine.assign import InfeasibleError, assign
from perspectief.matching.engine.candidate_index import CandidateIndex
from perspectief.matching.engine.evaluation import evaluate
from perspectief.matching.engine.taxonomy import load_esco, load_occupation_skills
from perspectief.matching.engine.vacancy_index import VacancyIndex
from perspectief.matching.selectors import fairness
from perspectief.regions.models import Region

DATA = Path(__file__).resolve().parents[3] / "data"


class Command(BaseCommand):
    help = "Match candidates and vacancies from JSON Lines files, or assign them optimally."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run_parser = sub.add_parser(
            "run", help="Ranked, explained matches per vacancy (or candidate)"
        )
        run_parser.add_argument("--candidates", required=True)
        run_parser.add_argument("--vacancies", required=True)
        run_parser.add_argument("--top", type=int, default=50)
        run_parser.add_argument(
            "--direction", choices=["candidates", "vacancies"], default="candidates"
        )
        run_parser.add_argument("--out", required=True)
        assign_parser = sub.add_parser("assign", help="The assignment with the highest total score")
        assign_parser.add_argument("--candidates")
        assign_parser.add_argument("--vacancies", required=True)
        assign_parser.add_argument(
            "--pairs", help="Assign on these scores instead of computing them"
        )
        assign_parser.add_argument(
            "--top",
            type=int,
            default=100,
            help="Without --pairs: the pairs considered are each vacancy's best N candidates",
        )
        assign_parser.add_argument(
            "--min-priority",
            type=int,
            default=0,
            help="Place at least this many candidates with priority (optimal under that floor)",
        )
        assign_parser.add_argument("--out", required=True)
        evaluate_parser = sub.add_parser(
            "evaluate",
            help="Offline quality: recall@10 and nDCG@10 of the engine, the engine without soft "
            "factors and a Jaccard baseline, and infeasible proposals in each top 50",
        )
        evaluate_parser.add_argument("--occupations", type=int, default=300)
        evaluate_parser.add_argument("--people-per-occupation", type=int, default=20)
        evaluate_parser.add_argument("--seed", type=int, default=20261123)
        evaluate_parser.add_argument(
            "--keep", type=float, default=0.7, help="share of the essential skills a person has"
        )
        evaluate_parser.add_argument(
            "--noise", type=int, default=2, help="skills of other occupations"
        )
        evaluate_parser.add_argument(
            "--states-occupation",
            type=float,
            default=0.4,
            help="share of people who state their wanted occupation",
        )
        evaluate_parser.add_argument(
            "--soft",
            type=float,
            default=0.2,
            help="share of people with each limit (hours, physical load; half as many "
            "exclude a sector, a third as many have a limitation); 0: no soft factors",
        )

        fairness_parser = sub.add_parser(
            "fairness", help="Exposure and outcomes per target group and age band (aggregates)"
        )
        fairness_parser.add_argument("--region", required=True, help="region code, e.g. AM18")
        fairness_parser.add_argument("--since", help="proposals from this date (YYYY-MM-DD)")

    def handle(self, *args, **options):
        if options["action"] == "fairness":
            self._fairness(options)
            return
        started = time.perf_counter()
        self.taxonomy = load_esco(DATA / "esco" / "v1.1.1")
        if options["action"] == "evaluate":
            self._evaluate(options)
            return
        self.pc4 = files.load_pc4(DATA / "geo" / "pc4_centroids_nl_geonames.csv")
        self.errors = []
        if options["top"] < 1:
            raise CommandError("--top must be 1 or more")
        if options["action"] == "run":
            self._run(options)
        else:
            self._assign(options)
        for error in self.errors:
            sys.stderr.write(f"{error}\n")
        sys.stderr.write(
            f"{time.perf_counter() - started:.1f} s; {len(self.errors)} line(s) rejected\n"
        )
        if self.errors:
            sys.exit(2)

    def _read(self, options, need_candidates=True):
        for key in ("candidates", "vacancies", "pairs"):
            if options.get(key) and not Path(options[key]).is_file():
                raise CommandError(f"file not found: {options[key]}")
        candidates = []
        if options.get("candidates"):
            candidates, errors = files.read_candidates(
                options["candidates"], self.taxonomy, self.pc4
            )
            self.errors += errors
        elif need_candidates:
            raise CommandError("--candidates is required")
        if options.get("pairs"):
            # Scores are given: a vacancy is only its id and places (no location needed).
            vacancies, errors = files.read_places(options["vacancies"])
        else:
            vacancies, errors = files.read_vacancies(options["vacancies"], self.taxonomy, self.pc4)
        self.errors += errors
        return candidates, vacancies

    def _run(self, options):
        candidates, vacancies = self._read(options)
        k = options["top"]
        with Path(options["out"]).open("w", encoding="utf-8") as out:
            if options["direction"] == "candidates":
                index = CandidateIndex(self.taxonomy, candidates)
                for v in vacancies:
                    ranked = [files.match_json(m) for m in index.top_for_vacancy(v, k)]
                    out.write(json.dumps({"vacancy": v.id, "candidates": ranked}) + "\n")
            else:
                index = VacancyIndex(self.taxonomy, vacancies)
                for c in candidates:
                    ranked = [files.match_json(m) for m in index.top_for_candidate(c, k)]
                    out.write(json.dumps({"candidate": c.id, "vacancies": ranked}) + "\n")

    def _assign(self, options):
        candidates, vacancies = self._read(options, need_candidates=not options.get("pairs"))
        vacancy_ids = [v.id for v in vacancies]
        if options.get("pairs"):
            known = {c.id for c in candidates} if candidates else None
            pairs, errors = files.read_pairs(options["pairs"], known, set(vacancy_ids))
            self.errors += errors
        else:
            index = CandidateIndex(self.taxonomy, candidates)
            pairs = [
                (m.id, v.id, m.score)
                for v in vacancies
                for m in index.top_for_vacancy(v, options["top"])
            ]
        candidate_ids = sorted({c for c, _v, _s in pairs} | {c.id for c in candidates})
        c_pos = {c: i for i, c in enumerate(candidate_ids)}
        v_pos = {v: i for i, v in enumerate(vacancy_ids)}
        priority = {c.id: c.priority >= 0.5 for c in candidates}
        try:
            result = assign(
                candidate_ids,
                vacancy_ids,
                [v.places for v in vacancies],
                [c_pos[c] for c, _v, _s in pairs],
                [v_pos[v] for _c, v, _s in pairs],
                [s for _c, _v, s in pairs],
                priority=[priority.get(c, False) for c in candidate_ids],
                min_priority=options["min_priority"],
            )
        except InfeasibleError as exc:
            raise CommandError(str(exc)) from None
        with Path(options["out"]).open("w", encoding="utf-8") as out:
            for c, v, s in result.pairs:
                out.write(json.dumps({"candidate": c, "vacancy": v, "score": s}) + "\n")
            summary = {
                "total_score": result.total_score,
                "places_filled": result.places_filled,
                "places": int(sum(v.places for v in vacancies)),
                "candidates_placed": result.candidates_placed,
                "priority_placed": result.priority_placed,
                "pairs_considered": len(pairs),
            }
            out.write(json.dumps({"summary": summary}) + "\n")

    def _evaluate(self, options):
        for name in ("keep", "states_occupation", "soft"):
            if not 0 <= options[name] <= 1:
                raise CommandError(f"--{name.replace('_', '-')} must be between 0 and 1")
        for name in ("occupations", "people_per_occupation"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be 1 or more")
        if options["noise"] < 0:
            raise CommandError("--noise cannot be negative")
        essential, optional = load_occupation_skills(DATA / "esco" / "v1.1.1")
        result = evaluate(
            self.taxonomy,
            essential,
            optional,
            occupations=options["occupations"],
            per_occupation=options["people_per_occupation"],
            seed=options["seed"],
            keep=options["keep"],
            noise=options["noise"],
            states_occupation=options["states_occupation"],
            soft=options["soft"],
        )
        self.stdout.write(json.dumps(result, indent=2))

    def _fairness(self, options):
        region = Region.objects.filter(code=options["region"].upper()).first()
        if region is None:
            raise CommandError(f"unknown region: {options['region']}")
        try:
            since = date.fromisoformat(options["since"]) if options.get("since") else None
        except ValueError:
            raise CommandError("--since: give the date as YYYY-MM-DD") from None
        result = fairness.as_json(fairness.report(region, since=since))
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False, default=str))
