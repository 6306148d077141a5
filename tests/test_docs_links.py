"""The documentation links only inside the repository: every relative link in README.md,
SECURITY.md and docs/ resolves to a file in the repository (and its #anchor to a heading of
that file), and no text in the docs or in src/ points at a path above the repository, as
`../shared/docs/...` once did. A clone is complete on its own."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted(
    [ROOT / "README.md", ROOT / "SECURITY.md", *(ROOT / "docs").rglob("*.md")],
    key=lambda path: str(path),
)

FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]+`")
INLINE_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
UPWARD_PATH = re.compile(r"(?<![\w.])\.\./[\w./-]+")


def _without_code(text: str) -> str:
    """The text without fenced blocks and code spans, where a link is not a link."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def _slug(heading: str) -> str:
    """The anchor GitHub (and most Markdown renderers) give a heading."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading: its text
    text = text.replace("`", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    return {_slug(match) for match in HEADING.findall(FENCE.sub("", path.read_text()))}


def _links(path: Path) -> list[str]:
    text = _without_code(path.read_text())
    return INLINE_LINK.findall(text) + REFERENCE_LINK.findall(text)


def _inside(path: Path) -> bool:
    return path == ROOT or ROOT in path.parents


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_resolves_to_a_file_in_the_repository(document):
    broken = []
    for link in _links(document):
        if SCHEME.match(link):
            if not link.startswith(("https:", "http:", "mailto:")):
                broken.append(f"{link}: only web links may leave the repository")
            continue
        target, _, anchor = link.partition("#")
        if target.startswith("/"):
            broken.append(f"{link}: an absolute path; link relative to {document.name}")
            continue
        path = (document.parent / target).resolve() if target else document
        if not _inside(path):
            broken.append(f"{link}: outside the repository")
        elif not path.exists():
            broken.append(f"{link}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in _anchors(path):
            broken.append(f"{link}: no heading with anchor #{anchor} in {path.name}")
    assert not broken, "\n".join(broken)


def test_the_link_checker_finds_links_and_anchors():
    """The checker itself: it sees the links that are there, and reads anchors as GitHub."""
    readme_links = _links(ROOT / "README.md")
    assert "docs/privacy.md#what-employers-see" in readme_links
    assert "what-employers-see" in _anchors(ROOT / "docs" / "privacy.md")
    assert _slug("Terms (Dutch → code)") == "terms-dutch--code"
    assert _links_in("see [x](../y.md) and `[not](a-link.md)`") == ["../y.md"]


def _links_in(text: str) -> list[str]:
    return INLINE_LINK.findall(_without_code(text))


def test_no_text_points_at_a_path_above_the_repository():
    files = [
        *DOCUMENTS,
        *(
            path
            for path in (ROOT / "src").rglob("*")
            if path.suffix in {".py", ".html", ".md", ".txt"} and path.is_file()
        ),
    ]
    outside = []
    for path in files:
        for mention in UPWARD_PATH.findall(path.read_text(encoding="utf-8", errors="replace")):
            if not _inside((path.parent / mention).resolve()):
                outside.append(f"{path.relative_to(ROOT)}: {mention}")
    assert not outside, "\n".join(outside)
