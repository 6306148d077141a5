"""Rules of the free-text index beyond n-gram likeness: a CV line is read for what follows
"als", a label that is the whole title wins, and a one-word generic label counts less."""

import numpy as np

from perspectief.taxonomy import textindex
from perspectief.taxonomy.textindex import Label, TextIndex, clean_title


def test_a_cv_line_is_read_for_the_occupation_after_als():
    assert clean_title("Ik heb 5 jaar als kok in een restaurant gewerkt") == "kok"
    assert clean_title("Worked as a cleaner in hotels for two years") == "cleaner"
    assert clean_title("Ik was beveiliger bij een winkelcentrum") == "beveiliger"
    assert clean_title("10 jaar ervaring als taxichauffeur") == "taxichauffeur"
    # Not a CV line: the words stay, "in de" is noise as before.
    assert clean_title("Medewerker in de bediening") == "medewerker bediening"
    assert clean_title("Kok in restaurant") == "kok restaurant"  # "in" is a noise word


def _index(labels, descriptions):
    return TextIndex.build(
        [Label(c, text, "nl", pref) for c, text, pref in labels],
        sizes=textindex.RESOLVE_SIZES,
        descriptions=descriptions,
    )


def test_a_label_that_is_the_whole_title_comes_first():
    index = _index(
        [
            (0, "voorman stukadoor", True),
            (0, "ploegbaas stukadoor", False),
            (0, "hoofd stukadoor", False),
            (1, "stukadoor", True),
        ],
        ["leidt stukadoors die stukadoren", "stukadoor die muren stukadoort"],
    )
    assert [hit.concept for hit in index.resolve("Stukadoor")] == [1, 0]
    assert index.suggest("stukadoor")[0].concept == 1


def test_a_generic_one_word_label_counts_less():
    # "operator" in more than a hundred labels: "operator pers aa", "operator zaag ab", …
    words = [
        f"operator {w} {a}{b}"
        for w in "pers zaag boor".split()
        for a in "ab"
        for b in "abcdefghijklmnopqrst"
    ]
    labels = [(0, "operator", False), (0, "technicus drankenfiltering", True)]
    labels += [(i % 3 + 2, text, True) for i, text in enumerate(words)]
    labels += [(1, "productiemedewerker", True), (1, "operator productie", False)]
    index = _index(labels, ["", "werkt in de productie", "", "", ""])
    generic = index.folded.index("operator")
    assert index.weights[generic] == textindex.GENERIC_WEIGHT
    assert np.count_nonzero(index.weights < 1) == 1
    # A title whose other words no label has is not the occupation that has the bare word.
    assert index.resolve("Operator lunchroom")[0].concept != 0
    assert index.resolve("Operator productie lijn")[0].concept == 1
    assert index.resolve("operator")[0].concept == 0  # typed alone, it still is
