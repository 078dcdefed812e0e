"""Crowdsourced labels: answer tables and gold labels of the crowd benchmarks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .registry import fetch_file

_CROWD_FOLDERS = {"bluebirds": "d_Duck_Identification", "dog": "s4_Dog_data"}


def load_crowd(name: str) -> tuple[pd.DataFrame, pd.Series]:
    """A real crowdsourcing data set with gold labels: ``"bluebirds"`` or ``"dog"``.

    Parameters
    ----------
    name : {"bluebirds", "dog"}
        ``"bluebirds"``: 108 images, 39 workers who each label every image, binary
        (Welinder et al., NIPS 2010). ``"dog"``: 807 images of four breeds, 109 workers,
        10 labels per image (Zhou et al., NIPS 2012). Both as redistributed by the truth
        inference benchmark of Zheng et al. (PVLDB 2017), where Bluebirds is called
        "d_Duck Identification".

    Returns
    -------
    answers : pandas.DataFrame
        Long format, one row per answer: ``item``, ``worker``, ``label`` (all integers).
    truth : pandas.Series
        The gold label of every item, indexed by ``item`` and named ``"truth"``.

    Notes
    -----
    License: none stated by the redistributor; research benchmark data, cite the
    original papers. Taught in: notebooks/05_crowdsourcing.ipynb.
    """
    if not isinstance(name, str) or name not in _CROWD_FOLDERS:
        raise ValueError(
            f"Unknown crowd data set name={name!r}; choose one of {sorted(_CROWD_FOLDERS)}."
        )
    folder = f"crowd/{_CROWD_FOLDERS[name]}"
    raw = pd.read_csv(fetch_file(f"{folder}/answer.csv"))
    answers = raw.rename(columns={"question": "item", "answer": "label"})[
        ["item", "worker", "label"]
    ]
    answers = answers.astype(np.int64).reset_index(drop=True)
    gold = pd.read_csv(fetch_file(f"{folder}/truth.csv"))
    truth = gold.set_index("question")["truth"].astype(np.int64).rename("truth")
    truth.index = truth.index.astype(np.int64).rename("item")
    return answers, truth
