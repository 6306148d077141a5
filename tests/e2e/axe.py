"""axe-core in a page: the vendored file (tests/e2e/vendor/axe-core, MPL-2.0, from the npm
registry; never a CDN), injected by Playwright, run at WCAG 2.1 A and AA."""

import hashlib
from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
#: The sha256 of axe.min.js 4.14.1 as unpacked from the registry's tarball (see its README).
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: "Needs review" results that #21 showed to be real failures: they fail the check too.
INCOMPLETE_THAT_FAIL = {"aria-valid-attr-value"}

RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  const brief = (r) => ({id: r.id, help: r.help,
    nodes: r.nodes.slice(0, 5).map((n) => n.target.join(" ") + " — " + n.failureSummary)});
  return {violations: result.violations.map(brief), incomplete: result.incomplete.map(brief)};
}"""


def checked_axe() -> Path:
    digest = hashlib.sha256(AXE.read_bytes()).hexdigest()
    assert digest == AXE_SHA256, "tests/e2e/vendor/axe-core/axe.min.js is not the vendored file"
    return AXE


def axe_problems(page) -> list[dict]:
    """The WCAG 2.1 A/AA violations of the page and its failing "needs review" results.
    The page's context must bypass the Content-Security-Policy (the tag is inline)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(RUN, TAGS)
    return result["violations"] + [
        r for r in result["incomplete"] if r["id"] in INCOMPLETE_THAT_FAIL
    ]
