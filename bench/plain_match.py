"""The plain approach the matching benchmarks compare the engine with: skills as a sparse
candidates × skills matrix, the Jaccard similarity of each place's skills with everyone's
by a CSR product, the hard constraints (within the person's reach, the place's education
level) as masks, then ``argpartition`` for the best k. No ESCO hierarchy, no other
criteria, no explanations: a floor for the cost of a top-k, not the same answer.

Also a script: ``python plain_match.py CANDIDATES.jsonl VACANCIES.jsonl OUT.jsonl [K]``
reads the engine's JSON Lines files, ranks and writes one line per place (for the
end-to-end comparison with ``perspectief match run``).
"""

import itertools
import json
import sys

import numpy as np
from scipy import sparse

EARTH_KM = 6371.0088
DEFAULT_REACH_KM = 25.0


def skill_matrix(lists, vocabulary):
    """CSR of 0/1: one row per list of skills, columns by ``vocabulary`` (extended)."""
    indptr, indices = [0], []
    for skills in lists:
        for s in skills:
            indices.append(vocabulary.setdefault(s, len(vocabulary)))
        indptr.append(len(indices))
    data = np.ones(len(indices), np.float32)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(lists), len(vocabulary) + 1))


def top_k(cand, vac, k=50, chunk=500):
    """The k best candidates per place: (rows, scores) per place. ``cand`` and ``vac``
    are dicts of arrays: "skills" (CSR, same columns), "lat", "lon" (radians); the
    candidates' "reach" (km, NaN: the default) and "education", the places'
    "min_education"."""
    c_skills = cand["skills"].tocsr()
    c_skills.resize((c_skills.shape[0], vac["skills"].shape[1]))
    c_count = np.asarray(c_skills.sum(axis=1)).ravel()
    c_t = c_skills.T.tocsr()
    reach = np.where(np.isnan(cand["reach"]), DEFAULT_REACH_KM, cand["reach"])
    v_count = np.asarray(vac["skills"].sum(axis=1)).ravel()
    out = []
    for start in range(0, vac["skills"].shape[0], chunk):
        block = (vac["skills"][start : start + chunk] @ c_t).tocoo()
        v, c, inter = block.row, block.col, block.data
        vi = v + start
        jaccard = inter / (v_count[vi] + c_count[c] - inter)
        dlat = cand["lat"][c] - vac["lat"][vi]
        dlon = cand["lon"][c] - vac["lon"][vi]
        h = (
            np.sin(dlat / 2) ** 2
            + np.cos(vac["lat"][vi]) * np.cos(cand["lat"][c]) * np.sin(dlon / 2) ** 2
        )
        km = 2 * EARTH_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        ok = (km <= reach[c]) & ~(cand["education"][c] < vac["min_education"][vi])
        v, c, score = v[ok], c[ok], jaccard[ok]
        order = np.argsort(v, kind="stable")
        v, c, score = v[order], c[order], score[order]
        bounds = np.searchsorted(v, np.arange(min(chunk, vac["skills"].shape[0] - start) + 1))
        for a, b in itertools.pairwise(bounds):
            s = score[a:b]
            if len(s) > k:
                best = np.argpartition(-s, k)[:k]
            else:
                best = np.arange(len(s))
            best = best[np.argsort(-s[best], kind="stable")]
            out.append((c[a:b][best], s[best]))
    return out


def _location(obj, pc4):
    if obj.get("lat") is not None:
        return obj["lat"], obj["lon"]
    return pc4[str(obj["pc4"])]


def main(candidates_path, vacancies_path, out_path, k=50):
    vocabulary = {}
    cands = [json.loads(line) for line in open(candidates_path, encoding="utf-8")]
    vacs = [json.loads(line) for line in open(vacancies_path, encoding="utf-8")]
    pc4 = {}
    cand = {
        "skills": skill_matrix([c.get("skills") or [] for c in cands], vocabulary),
        "lat": np.radians([_location(c, pc4)[0] for c in cands]),
        "lon": np.radians([_location(c, pc4)[1] for c in cands]),
        "reach": np.array([c.get("max_distance_km") or np.nan for c in cands], float),
        "education": np.array(
            [np.nan if c.get("education_level") is None else c["education_level"] for c in cands]
        ),
    }
    vac = {
        "skills": skill_matrix(
            [(v.get("essential_skills") or []) + (v.get("optional_skills") or []) for v in vacs],
            vocabulary,
        ),
        "lat": np.radians([_location(v, pc4)[0] for v in vacs]),
        "lon": np.radians([_location(v, pc4)[1] for v in vacs]),
        "min_education": np.array([v.get("min_education_level") or 0 for v in vacs], float),
    }
    ids = [c["id"] for c in cands]
    with open(out_path, "w", encoding="utf-8") as out:
        for v, (rows, scores) in zip(vacs, top_k(cand, vac, k), strict=True):
            ranked = [
                {"id": ids[r], "score": round(float(s), 6)}
                for r, s in zip(rows.tolist(), scores.tolist(), strict=True)
            ]
            out.write(json.dumps({"vacancy": v["id"], "candidates": ranked}) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:4], *(int(a) for a in sys.argv[4:5]))
