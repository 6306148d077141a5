"""Load ESCO (occupations, skills, ISCO groups, relations); the Dutch classifications
(education levels, SBI sectors) are in :mod:`perspectief.taxonomy.classifications`.

Also imports the labels of an official ESCO CSV export in any language
(:func:`import_esco_export`, used by ``perspectief import_esco``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from perspectief.core.loading import (
    DEFAULT_DATA_DIR,
    FileResult,
    Loaded,
    ReferenceDataError,
    Row,
    UniqueKeys,
    created_and_updated,
    existing_keys,
    read_csv,
    run_step,
    upsert,
)

from . import search
from .constants import ConceptKind, SkillRelation
from .models import (
    ConceptLabel,
    IscoGroup,
    LabelledConcept,
    Occupation,
    OccupationSkill,
    Skill,
)

ISCO_EN_FILE = "esco/v1.1.1/ISCOGroups_en.csv.gz"
ISCO_NL_FILE = "esco/v1.2.0_nl/ISCOGroups_nl.csv.gz"
OCCUPATIONS_EN_FILE = "esco/v1.1.1/occupations_en.csv.gz"
OCCUPATIONS_NL_FILE = "esco/v1.1.1/occupations_nl.csv.gz"
SKILLS_EN_FILE = "esco/v1.1.1/skills_en.csv.gz"
RELATIONS_FILE = "esco/v1.1.1/occupationSkillRelations.csv.gz"

# Keyed by the kind's value (a ConceptKind is a str): rows and files name the kind as text.
URI: dict[str, str] = {
    ConceptKind.ISCO_GROUP: r"http://data\.europa\.eu/esco/isco/C\d{1,4}",
    ConceptKind.OCCUPATION: r"http://data\.europa\.eu/esco/occupation/[\w.-]+",
    ConceptKind.SKILL: r"http://data\.europa\.eu/esco/skill/[\w.-]+",
}
CONCEPT_TYPE: dict[str, str] = {
    ConceptKind.ISCO_GROUP: "ISCOGroup",
    ConceptKind.OCCUPATION: "Occupation",
    ConceptKind.SKILL: "KnowledgeSkillCompetence",
}
MODELS: dict[str, type[LabelledConcept]] = {
    ConceptKind.ISCO_GROUP: IscoGroup,
    ConceptKind.OCCUPATION: Occupation,
    ConceptKind.SKILL: Skill,
}
# Official ESCO downloads are named <kind>_<language>.csv: occupations_nl.csv, ISCOGroups_nl.csv.
FILE_KINDS = {
    "occupations": ConceptKind.OCCUPATION,
    "skills": ConceptKind.SKILL,
    "iscogroups": ConceptKind.ISCO_GROUP,
}
ESCO_FILE_NAME = re.compile(r"(?P<kind>[A-Za-z]+)_(?P<language>[A-Za-z-]+)\.csv(\.gz)?")
LANGUAGE = re.compile(r"[a-z]{2}")

SKILL_TYPES = ["skill/competence", "knowledge"]
REUSE_LEVELS = ["transversal", "cross-sector", "sector-specific", "occupation-specific"]
_LABEL_FIELD = ConceptLabel._meta.get_field("preferred_label")
assert _LABEL_FIELD.max_length is not None  # a CharField has a maximum length
LABEL_LENGTH: int = _LABEL_FIELD.max_length
EXAMPLES = 5


# --- helpers -------------------------------------------------------------------------------------


def alt_labels(value: str) -> str:
    """ESCO puts alternative labels newline-separated in one cell; normalise that."""
    return "\n".join(label.strip() for label in value.splitlines() if label.strip())


def _uri(row: Row, column: str, kind: str) -> str:
    return row.match(column, URI[kind], "ESCO-URI", "ESCO URI")


def _label(row: Row, column: str = "preferredLabel", *, required: bool = True) -> str:
    value = row.required(column) if required else row.get(column)
    if len(value) > LABEL_LENGTH:
        raise row.error(
            column,
            f"label is langer dan {LABEL_LENGTH} tekens",
            f"label is longer than {LABEL_LENGTH} characters",
        )
    return value


def _concept_type(row: Row, kind: str) -> None:
    value = row.get("conceptType")
    if value and value != CONCEPT_TYPE[kind]:
        raise row.error(
            "conceptType",
            f"verwacht {CONCEPT_TYPE[kind]}, niet {value}",
            f"expected {CONCEPT_TYPE[kind]}, not {value}",
        )


def _unknown_note(count: int, examples: list[str], what: str, what_en: str) -> str:
    shown = ", ".join(examples[:EXAMPLES]) + (", …" if count > EXAMPLES else "")
    return f"{count} {what} onbekend, overgeslagen / {count} {what_en} unknown, skipped: {shown}"


def _read_labels(path: Path, kind: str, known: set[str]) -> tuple[dict[str, dict], Loaded]:
    """Read a second-language file: label, alt labels, description by URI (known URIs only)."""
    labels, uris, unknown, rows = {}, UniqueKeys(), [], 0
    for row in read_csv(path, required=["conceptUri", "preferredLabel"]):
        rows += 1
        _concept_type(row, kind)
        uri = _uri(row, "conceptUri", kind)
        uris.add(row, "conceptUri", uri)
        if uri not in known:
            unknown.append(uri)
            continue
        labels[uri] = {
            "label": _label(row),
            "alt_labels": alt_labels(row.get("altLabels")),
            "description": row.get("description"),
        }
    notes = [_unknown_note(len(unknown), unknown, "URI's", "URIs")] if unknown else []
    return labels, Loaded(rows, {"matched": len(labels), "unknown": len(unknown)}, notes)


def _add_dutch_labels(concepts: dict, nl_path: Path, kind: str) -> Loaded:
    """Fill the Dutch label, alternative labels and description of ``concepts`` (by URI)."""
    dutch, loaded = _read_labels(nl_path, kind, set(concepts))
    for uri, labels in dutch.items():
        concept = concepts[uri]
        concept.label_nl, concept.alt_labels_nl = labels["label"], labels["alt_labels"]
        concept.description_nl = labels["description"]
    return loaded


# --- ESCO ----------------------------------------------------------------------------------------


def import_isco_groups(en_path: str | Path, nl_path: str | Path) -> dict[Path, Loaded]:
    """ISCO groups from the English file, with Dutch labels from the Dutch file (by URI)."""
    en_path, nl_path = Path(en_path), Path(nl_path)
    groups, uris, codes = {}, UniqueKeys(), UniqueKeys()
    for row in read_csv(en_path, required=["conceptUri", "code", "preferredLabel"]):
        _concept_type(row, ConceptKind.ISCO_GROUP)
        uri = _uri(row, "conceptUri", ConceptKind.ISCO_GROUP)
        code = row.match("code", r"\d{1,4}", "ISCO-code", "ISCO code")
        if not uri.endswith(f"/C{code}"):
            raise row.error(
                "code", f"code {code} past niet bij {uri}", f"{code} does not match {uri}"
            )
        uris.add(row, "conceptUri", uri)
        codes.add(row, "code", code)
        groups[uri] = IscoGroup(
            uri=uri,
            code=code,
            label_en=_label(row),
            alt_labels_en=alt_labels(row.get("altLabels")),
            description_en=row.get("description"),
        )
    nl_loaded = _add_dutch_labels(groups, nl_path, ConceptKind.ISCO_GROUP)
    objects = list(groups.values())
    counts = created_and_updated(objects, existing_keys(IscoGroup, "uri"), "uri")
    with transaction.atomic():
        upsert(
            IscoGroup,
            objects,
            key="uri",
            fields=["code", *_label_fields("en"), *_label_fields("nl")],
        )
    return {en_path: Loaded(len(objects), counts), nl_path: nl_loaded}


def import_occupations(en_path: str | Path, nl_path: str | Path) -> dict[Path, Loaded]:
    """Occupations from the English file, with Dutch labels from the Dutch file (by URI)."""
    en_path, nl_path = Path(en_path), Path(nl_path)
    isco_ids = dict(IscoGroup.objects.values_list("code", "pk"))
    occupations, uris = {}, UniqueKeys()
    for row in read_csv(en_path, required=["conceptUri", "iscoGroup", "preferredLabel", "code"]):
        _concept_type(row, ConceptKind.OCCUPATION)
        uri = _uri(row, "conceptUri", ConceptKind.OCCUPATION)
        uris.add(row, "conceptUri", uri)
        isco = row.required("iscoGroup")
        if isco not in isco_ids:
            raise row.error(
                "iscoGroup", f"onbekende ISCO-groep {isco}", f"unknown ISCO group {isco}"
            )
        occupations[uri] = Occupation(
            uri=uri,
            code=row.match("code", r"\d{4}(\.\d+)*", "ESCO-code", "ESCO code"),
            isco_group_id=isco_ids[isco],
            label_en=_label(row),
            alt_labels_en=alt_labels(row.get("altLabels")),
            description_en=row.get("description"),
        )
    nl_loaded = _add_dutch_labels(occupations, nl_path, ConceptKind.OCCUPATION)
    objects = list(occupations.values())
    counts = created_and_updated(objects, existing_keys(Occupation, "uri"), "uri")
    with transaction.atomic():
        upsert(
            Occupation,
            objects,
            key="uri",
            fields=["code", "isco_group", *_label_fields("en"), *_label_fields("nl")],
        )
    search.invalidate()
    return {en_path: Loaded(len(objects), counts), nl_path: nl_loaded}


def import_skills(path: str | Path) -> Loaded:
    """Skills with their English labels; Dutch labels come from ``import_esco``."""
    skills, uris = [], UniqueKeys()
    for row in read_csv(path, required=["conceptUri", "skillType", "reuseLevel", "preferredLabel"]):
        _concept_type(row, ConceptKind.SKILL)
        uri = _uri(row, "conceptUri", ConceptKind.SKILL)
        uris.add(row, "conceptUri", uri)
        skills.append(
            Skill(
                uri=uri,
                skill_type=row.choice("skillType", SKILL_TYPES, required=False),
                reuse_level=row.choice("reuseLevel", REUSE_LEVELS, required=False),
                label_en=_label(row),
                alt_labels_en=alt_labels(row.get("altLabels")),
                description_en=row.get("description"),
            )
        )
    counts = created_and_updated(skills, existing_keys(Skill, "uri"), "uri")
    with transaction.atomic():
        upsert(Skill, skills, key="uri", fields=["skill_type", "reuse_level", *_label_fields("en")])
    search.invalidate()
    return Loaded(len(skills), counts)


def import_occupation_skills(path: str | Path) -> Loaded:
    """Replace all occupation–skill relations (essential/optional) by those in the file.

    A relation whose occupation or skill is not loaded is skipped and reported: the official
    ESCO v1.1.1 export has 67 relations of one occupation that is missing from its
    occupations file.
    """
    occupation_ids = dict(Occupation.objects.values_list("uri", "pk"))
    skill_ids = dict(Skill.objects.values_list("uri", "pk"))
    relations, pairs, rows = [], UniqueKeys(), 0
    unknown: dict[str, int] = {}
    required = ["occupationUri", "relationType", "skillUri"]
    for row in read_csv(path, required=required):
        rows += 1
        occupation = _uri(row, "occupationUri", ConceptKind.OCCUPATION)
        skill = _uri(row, "skillUri", ConceptKind.SKILL)
        relation = row.choice("relationType", SkillRelation.values)
        pairs.add(row, "skillUri", f"{occupation} {skill}")
        missing = [
            uri for uri, ids in ((occupation, occupation_ids), (skill, skill_ids)) if uri not in ids
        ]
        if missing:
            for uri in missing:
                unknown[uri] = unknown.get(uri, 0) + 1
            continue
        relations.append(
            OccupationSkill(
                occupation_id=occupation_ids[occupation],
                skill_id=skill_ids[skill],
                relation=relation,
            )
        )
    with transaction.atomic():
        OccupationSkill.objects.all().delete()
        OccupationSkill.objects.bulk_create(relations, batch_size=1000)
    skipped = rows - len(relations)
    notes = []
    if unknown:
        examples = [f"{uri} ({n}×)" for uri, n in unknown.items()]
        notes.append(
            f"{skipped} relaties naar niet-geladen concepten overgeslagen / {skipped} relations "
            f"to concepts that are not loaded skipped: " + ", ".join(examples[:EXAMPLES])
        )
    return Loaded(rows, {"relations": len(relations), "skipped": skipped}, notes)


def _label_fields(language: str) -> list[str]:
    return [f"label_{language}", f"alt_labels_{language}", f"description_{language}"]


def load_esco(*, data_dir: str | Path | None = None, force: bool = False) -> list[FileResult]:
    """Load ISCO groups, occupations, skills and their relations; unchanged files are skipped."""
    data_dir = Path(data_dir) if data_dir else DEFAULT_DATA_DIR
    isco = [data_dir / ISCO_EN_FILE, data_dir / ISCO_NL_FILE]
    occupations = [data_dir / OCCUPATIONS_EN_FILE, data_dir / OCCUPATIONS_NL_FILE]
    skills, relations = data_dir / SKILLS_EN_FILE, data_dir / RELATIONS_FILE
    return [
        *run_step(isco, lambda: import_isco_groups(*isco), data_dir=data_dir, force=force),
        *run_step(
            occupations,
            lambda: import_occupations(*occupations),
            data_dir=data_dir,
            force=force,
        ),
        *run_step(
            [skills], lambda: {skills: import_skills(skills)}, data_dir=data_dir, force=force
        ),
        *run_step(
            [relations],
            lambda: {relations: import_occupation_skills(relations)},
            data_dir=data_dir,
            force=force,
        ),
    ]


# --- official ESCO export in any language --------------------------------------------------------


@dataclass
class LabelImport:
    """The outcome of importing one ESCO file of one language."""

    file: str
    kind: str
    language: str
    rows: int = 0
    without_label: int = 0
    unknown: list[str] = field(default_factory=list)
    labels: list[ConceptLabel] = field(default_factory=list, repr=False)
    concepts: list = field(default_factory=list, repr=False)
    concept_fields: list[str] = field(default_factory=list, repr=False)

    @property
    def imported(self) -> int:
        return len(self.labels)


def check_language(language: str) -> str:
    """A two-letter language code (ISO 639-1), lower-cased."""
    code = language.strip().lower()
    if not LANGUAGE.fullmatch(code):
        raise ValueError(
            f"ongeldige taalcode {language!r}: gebruik twee letters, zoals nl / "
            f"invalid language code {language!r}: use two letters, such as nl"
        )
    return code


def _name_kind(path: Path) -> str | None:
    match = ESCO_FILE_NAME.fullmatch(path.name)
    return FILE_KINDS.get(match["kind"].lower()) if match else None


def _name_language(path: Path) -> str | None:
    match = ESCO_FILE_NAME.fullmatch(path.name)
    return match["language"].lower() if match else None


def find_esco_files(path: str | Path, language: str | None = None) -> tuple[list[Path], str]:
    """The ESCO concept files (occupations, skills, ISCO groups) at ``path`` and their language.

    ``path`` is a directory with an official ESCO CSV download or one such file.
    """
    path = Path(path)
    language = check_language(language) if language else None
    if path.is_dir():
        found = [p for p in sorted(path.iterdir()) if p.is_file() and _name_kind(p)]
        if language:
            found = [p for p in found if _name_language(p) == language]
        seen: dict[tuple, Path] = {}
        for p in found:
            key = (_name_kind(p), _name_language(p))
            if key in seen:
                raise ReferenceDataError(
                    p,
                    None,
                    None,
                    f"staat al in de map als {seen[key].name}",
                    f"is already in the directory as {seen[key].name}",
                )
            seen[key] = p
    elif path.is_file():
        found = [path]
        named = _name_language(path)
        if language and named and named != language:
            raise ReferenceDataError(
                path,
                None,
                "--language",
                f"de bestandsnaam noemt taal {named}, niet {language}",
                f"the file name says language {named}, not {language}",
            )
    else:
        raise ReferenceDataError(
            path, None, None, "bestand of map niet gevonden", "file or directory not found"
        )
    if not found:
        lang = language or "<taal>"
        names = f"occupations_{lang}.csv, skills_{lang}.csv, ISCOGroups_{lang}.csv"
        raise ReferenceDataError(
            path,
            None,
            None,
            f"geen ESCO-bestanden gevonden ({names})",
            f"no ESCO files found ({names.replace('<taal>', '<language>')})",
        )
    if language is None:
        languages = {_name_language(p) for p in found}
        only = languages.pop() if len(languages) == 1 else None
        if only is None:
            raise ReferenceDataError(
                path,
                None,
                "--language",
                "geef de taal op met --language: die volgt niet eenduidig uit de bestandsnamen",
                "give the language with --language: the file names do not tell it unambiguously",
            )
        language = check_language(only)
    return found, language


def _concepts(kind: str, *, full: bool) -> dict:
    """The loaded concepts of a kind by URI: whole objects when their fields will be set."""
    if full:
        concepts = {}
        for concept in MODELS[kind]._default_manager.all():
            concept.pk = None  # the upsert matches on the URI, not on the primary key
            concepts[concept.uri] = concept
        return concepts
    return dict.fromkeys(MODELS[kind]._default_manager.values_list("uri", flat=True))


def _read_export(path: Path, language: str, known: dict[str, dict]) -> LabelImport:
    """Validate one ESCO file; collect labels for known concepts, note unknown ones."""
    kind = _name_kind(path)
    kinds_by_type = {value: key for key, value in CONCEPT_TYPE.items()}
    result, uris = None, UniqueKeys()
    for row in read_csv(path, required=["conceptUri", "preferredLabel"]):
        if kind is None:  # a renamed file: tell the kind from its first row
            kind = kinds_by_type.get(row.get("conceptType"))
            if kind is None:
                raise row.error(
                    "conceptType",
                    "geen ESCO-beroep, -vaardigheid of ISCO-groep",
                    "not an ESCO occupation, skill or ISCO group",
                )
        if result is None:
            result = LabelImport(path.name, kind, language)
            if language in ("nl", "en"):
                result.concept_fields = [f"label_{language}", f"alt_labels_{language}"]
                if "description" in row.values:
                    result.concept_fields.append(f"description_{language}")
            if kind not in known:
                known[kind] = _concepts(kind, full=bool(result.concept_fields))
        result.rows += 1
        _concept_type(row, kind)
        uri = _uri(row, "conceptUri", kind)
        uris.add(row, "conceptUri", uri)
        label = _label(row, required=False)
        if not label:
            result.without_label += 1
            continue
        if uri not in known[kind]:
            result.unknown.append(uri)
            continue
        alternatives = alt_labels(row.get("altLabels"))
        result.labels.append(
            ConceptLabel(
                kind=kind,
                uri=uri,
                language=language,
                preferred_label=label,
                alt_labels=alternatives,
            )
        )
        if result.concept_fields:
            concept = known[kind][uri]
            setattr(concept, f"label_{language}", label)
            setattr(concept, f"alt_labels_{language}", alternatives)
            setattr(concept, f"description_{language}", row.get("description"))
            result.concepts.append(concept)
    return result or LabelImport(path.name, kind or "", language)


def import_esco_export(path: str | Path, *, language: str | None = None) -> list[LabelImport]:
    """Import the labels of an official ESCO CSV export (directory or file) in one language.

    Every file is validated before anything is written; then all files are written in one
    transaction. Labels go to ``ConceptLabel``; for nl and en also to the concepts themselves.
    Concepts that are not loaded are reported, not created.
    """
    files, language = find_esco_files(path, language)
    known: dict[str, dict] = {}
    results = [_read_export(file, language, known) for file in files]
    with transaction.atomic():
        for result in results:
            ConceptLabel.objects.bulk_create(
                result.labels,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["uri", "language"],
                update_fields=["kind", "preferred_label", "alt_labels"],
            )
            if result.concepts:
                # An upsert of existing rows: only the language's fields change. (Much faster
                # than bulk_update, which builds a CASE expression per row and field.)
                upsert(
                    MODELS[result.kind], result.concepts, key="uri", fields=result.concept_fields
                )
    search.invalidate()
    return results
