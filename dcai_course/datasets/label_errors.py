"""Real label errors in famous test sets (Northcutt, Athalye & Mueller, 2021)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from .registry import _check_name, fetch_file

#: The test sets of :func:`load_label_errors`, each with its class names in label order.
LABEL_ERROR_SETS: dict[str, tuple[str, ...]] = {
    "mnist": tuple(str(d) for d in range(10)),
    "cifar10": (
        "airplane", "automobile", "bird", "cat", "deer",
        "dog", "frog", "horse", "ship", "truck",
    ),
    "20news": (
        "alt.atheism", "comp.graphics", "comp.os.ms-windows.misc",
        "comp.sys.ibm.pc.hardware", "comp.sys.mac.hardware", "comp.windows.x",
        "misc.forsale", "rec.autos", "rec.motorcycles", "rec.sport.baseball",
        "rec.sport.hockey", "sci.crypt", "sci.electronics", "sci.med", "sci.space",
        "soc.religion.christian", "talk.politics.guns", "talk.politics.mideast",
        "talk.politics.misc", "talk.religion.misc",
    ),
    "imdb": ("negative", "positive"),
}  # fmt: skip

#: Crowd workers per reviewed candidate; a label is a confirmed error when fewer than
#: a majority of them (3 of 5) chose the given label.
_CROWD_WORKERS = 5
_MAJORITY = 3


class LabelErrorsSet(NamedTuple):
    """One test set of :func:`load_label_errors` (unpack as ``labels, pred_probs, verdicts``)."""

    labels: np.ndarray
    pred_probs: np.ndarray
    verdicts: pd.DataFrame


def _imdb_row_of(ids: list[str]) -> list[int]:
    """Rows of IMDB mturk ids (``'test/neg/10003_3'``) through the filename index."""
    import json

    names = json.loads(fetch_file("label_errors/imdb_test_set_index_to_filename.json").read_text())
    row_of: dict[str, int] = {}
    repeated: set[str] = set()
    for row, filename in enumerate(names):
        key = filename.removesuffix(".txt")
        if key in row_of:
            repeated.add(key)
        row_of[key] = row
    keys = [item.removeprefix("test/") for item in ids]
    ambiguous = sorted(set(keys) & repeated)
    if ambiguous:  # never with the pinned files; guards against a changed index
        raise ValueError(f"IMDB ids {ambiguous[:3]} map to several rows of the index file.")
    return [row_of[key] for key in keys]


def _verdict(votes: dict[str, int]) -> str:
    """The option a majority of the workers chose (``'given'`` first), or ``'no majority'``."""
    if votes.get("given", 0) >= _MAJORITY:
        return "given"
    for option, count in votes.items():
        if count >= _MAJORITY:
            return option
    return "no majority"


def _verdict_table(name: str, labels: np.ndarray) -> pd.DataFrame:
    import json

    items = json.loads(fetch_file(f"label_errors/{name}_mturk.json").read_text())
    if name == "imdb":
        rows = _imdb_row_of([item["id"] for item in items])
        code = {"Negative": 0, "Positive": 1}
        guessed = [code[item["our_guessed_label"]] for item in items]
    else:
        rows = [int(item["id"]) for item in items]
        guessed = [int(item["our_guessed_label"]) for item in items]
    votes = [item["mturk"] for item in items]
    table = pd.DataFrame(
        {
            "index": np.asarray(rows, dtype=np.int64),
            "given_label": labels[rows],
            "guessed_label": np.asarray(guessed, dtype=np.int64),
            "votes_given": [v["given"] for v in votes],
            "votes_guessed": [v["guessed"] for v in votes],
            "votes_other": [
                sum(c for k, c in v.items() if k not in ("given", "guessed")) for v in votes
            ],
            "verdict": [_verdict(v) for v in votes],
        }
    )
    table["confirmed"] = table["votes_given"] < _MAJORITY
    return table.sort_values("index", ignore_index=True)


def load_label_errors(name: str) -> LabelErrorsSet:
    """A famous test set's labels, published predicted probabilities and crowd verdicts.

    Northcutt, Athalye & Mueller (2021) ran confident learning on the test sets of ten
    benchmarks, then asked Amazon Mechanical Turk workers about the flagged examples.
    For four of them the course has the original test labels, the authors'
    out-of-sample (cross-validated) predicted probabilities and the workers' votes.

    Parameters
    ----------
    name : {"mnist", "cifar10", "20news", "imdb"}
        MNIST (10,000 digits, 10 classes), CIFAR-10 (10,000 images, 10 classes),
        20 Newsgroups (7,532 posts, 20 topics) or IMDB (25,000 reviews, negative or
        positive). The class names, in label order, are ``LABEL_ERROR_SETS[name]``.

    Returns
    -------
    LabelErrorsSet
        A named tuple ``(labels, pred_probs, verdicts)``:

        * ``labels``: int64 array of shape (n,), the original test labels;
        * ``pred_probs``: float64 array of shape (n, K), rows sum to 1;
        * ``verdicts``: one row per candidate the authors showed to the crowd (100,
          275, 93 and 1,310 of them), sorted by ``index``, the row in ``labels`` and
          ``pred_probs``. Columns: ``given_label``, ``guessed_label`` (the arg-max of
          the probabilities), ``votes_given`` and ``votes_guessed`` (how many of the 5
          workers chose each), ``votes_other`` (the votes for the other options:
          "neither" on all sets, "both" on CIFAR-10 and 20 Newsgroups, "neutral" and
          "off-topic" on IMDB), ``verdict`` (the option chosen by 3 or more workers, or
          ``"no majority"``) and ``confirmed``: fewer than 3 of 5 workers chose the
          given label, the paper's definition of a confirmed label error.

    Notes
    -----
    Only the candidates the authors flagged were shown to the crowd: an example with no
    row in ``verdicts`` was never reviewed, which is not the same as correctly labelled.
    On 13 MNIST candidates the guessed label equals the given one and ``votes_guessed``
    repeats ``votes_given`` (as in the published file); none of them is confirmed.
    Row order: MNIST as in the LeCun test file (torchvision order); CIFAR-10 as in
    ``keras.datasets.cifar10``; 20 Newsgroups as scikit-learn's
    ``fetch_20newsgroups(subset="test")`` with its defaults; IMDB as in the file
    ``imdb_test_set_index_to_filename.json`` (negative reviews first), through which
    the IMDB crowd ids are mapped to rows.

    Source: https://github.com/cleanlab/label-errors at commit 6d5d6b3 (each file
    pinned by SHA-256 in :data:`REGISTRY`). License: Apache-2.0; the underlying test
    sets keep their own terms. Citation: Northcutt, C.G., Athalye, A., Mueller, J.
    (2021). Pervasive Label Errors in Test Sets Destabilize Machine Learning
    Benchmarks. NeurIPS Datasets and Benchmarks Track; arXiv:2103.14749.
    Taught in: notebooks/02_confident_learning.ipynb (section 10).

    Examples
    --------
    >>> labels, pred_probs, verdicts = load_label_errors("mnist")  # doctest: +SKIP
    >>> int(verdicts["confirmed"].sum())  # doctest: +SKIP
    15
    """
    _check_name(name, LABEL_ERROR_SETS, "label-error test set")
    labels = np.load(fetch_file(f"label_errors/{name}_test_set_original_labels.npy"))
    pred_probs = np.load(fetch_file(f"label_errors/{name}_test_set_pyx.npy"))
    labels = labels.astype(np.int64)
    return LabelErrorsSet(labels, pred_probs.astype(np.float64), _verdict_table(name, labels))
