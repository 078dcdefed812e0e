"""The lecture's experiments: batches broken on purpose (:func:`break_batch`), the
missing-value strategies (:func:`missing_value_experiment`) and what a contract
catches before the model sees the batch (:func:`contract_experiment`).

Taught in: notebooks/07_data_validation_and_pipelines.ipynb.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validation import as_rng, check_str, check_table
from .drift import drift_report
from .schema import Schema, validate

# --- broken batches --------------------------------------------------------------------------

#: The ways :func:`break_batch` breaks an Adult batch.
BREAKS = ("renamed_category", "unit_change", "null_column", "silent_shift")


def break_batch(batch: pd.DataFrame, how: str, *, seed: Any = None) -> pd.DataFrame:
    """A cleaned Adult batch broken the way real upstream changes break data.

    * ``"renamed_category"``: ``workclass`` "Private" written "private" (a new upstream
      form);
    * ``"unit_change"``: ``hours_per_week`` reported per month (× 4.33, rounded);
    * ``"null_column"``: ``occupation`` entirely missing (a failed join);
    * ``"silent_shift"``: the batch resampled (same size, with replacement) with weights
      rising with ``education_num``: every value is valid, only the mix changes.

    ``seed`` is only used by ``"silent_shift"``. Returns a new DataFrame.
    """
    batch = check_table(batch, "batch", ["workclass", "hours_per_week", "occupation",
                                         "education_num"])  # fmt: skip
    how = check_str(how, "how")
    if how not in BREAKS:
        raise ValueError(f"how must be one of {BREAKS}, got {how!r}.")
    out = batch.copy()
    if how == "renamed_category":
        out["workclass"] = out["workclass"].replace("Private", "private")
    elif how == "unit_change":
        out["hours_per_week"] = np.round(out["hours_per_week"] * 4.33).astype(np.int64)
    elif how == "null_column":
        out["occupation"] = pd.Series(np.nan, index=out.index, dtype=out["occupation"].dtype)
    else:
        rng = as_rng(seed)
        w = np.exp(0.3 * (out["education_num"].to_numpy(float) - 10))
        pick = rng.choice(len(out), size=len(out), replace=True, p=w / w.sum())
        out = out.iloc[pick].reset_index(drop=True)
    return out


# --- experiments of the lecture ----------------------------------------------------------------

#: The missing-value strategies compared by :func:`missing_value_experiment`.
MISSING_STRATEGIES = ("drop rows", "most frequent", "missing as a category")


def adult_model(strategy: str = "missing as a category"):
    """The lecture's fixed model for cleaned Adult rows: one-hot categories, standardised
    numbers, logistic regression. ``strategy`` sets how missing categories are imputed:
    ``"missing as a category"`` (its own category, as ``adult_preprocessor``) or
    ``"most frequent"`` (the commonest category of the training rows)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from ..datasets import ADULT_CATEGORICAL, ADULT_NUMERIC, adult_preprocessor

    if strategy == "missing as a category":
        pre = adult_preprocessor()
    elif strategy in ("most frequent", "drop rows"):
        cats = make_pipeline(
            SimpleImputer(strategy="most_frequent"),
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
        )
        pre = ColumnTransformer(
            [("numeric", StandardScaler(), ADULT_NUMERIC), ("categories", cats, ADULT_CATEGORICAL)]
        )
    else:
        raise ValueError(f"strategy must be one of {MISSING_STRATEGIES}, got {strategy!r}.")
    return make_pipeline(pre, LogisticRegression(max_iter=2000))


def _draw(df: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    return df.iloc[rng.choice(len(df), size=min(n, len(df)), replace=False)].reset_index(drop=True)


def missing_value_experiment(
    train: pd.DataFrame,
    test: pd.DataFrame,
    seeds: Sequence[int],
    *,
    n_train: int = 5000,
    n_test: int = 5000,
) -> pd.DataFrame:
    """Held-out accuracy of :func:`adult_model` under each missing-value strategy.

    For each seed, ``n_train`` training rows and ``n_test`` test rows are drawn (cleaned
    Adult). ``"drop rows"`` trains on the complete rows only (and, since every test row
    needs a prediction, fills the test rows' gaps with the most frequent category);
    ``"most frequent"`` imputes; ``"missing as a category"`` keeps "missing" as a value
    the model can learn from. Returns one row per seed and strategy: ``accuracy`` on all
    test rows and ``accuracy_missing`` on the test rows that have a missing value.
    """
    from .._validation import check_seeds

    train = check_table(train, "train", ["income"])
    test = check_table(test, "test", ["income"])
    rows = []
    for seed in check_seeds(seeds):
        rng = np.random.default_rng(seed)
        tr, te = _draw(train, n_train, rng), _draw(test, n_test, rng)
        has_gap = te.isna().any(axis=1).to_numpy()
        y_te = te.pop("income").eq(">50K").to_numpy()
        for strategy in MISSING_STRATEGIES:
            fit_rows = tr.dropna() if strategy == "drop rows" else tr
            model = adult_model(strategy).fit(
                fit_rows.drop(columns="income"), fit_rows["income"].eq(">50K")
            )
            right = model.predict(te) == y_te
            rows.append(
                {"seed": seed, "strategy": strategy, "train_rows": len(fit_rows),
                 "accuracy": right.mean(), "accuracy_missing": right[has_gap].mean()}
            )  # fmt: skip
    return pd.DataFrame(rows)


def contract_experiment(
    train: pd.DataFrame,
    test: pd.DataFrame,
    seeds: Sequence[int],
    *,
    schema: Schema,
    n_train: int = 8000,
    batch_size: int = 2000,
) -> pd.DataFrame:
    """Break fresh batches in every way of :data:`BREAKS`, check them, score the model.

    For each seed: :func:`adult_model` is trained on ``n_train`` rows of ``train``; a
    batch of ``batch_size`` rows is drawn from ``test`` and broken by each
    :func:`break_batch` (plus ``"none"``, the intact batch: any alarm on it is a false
    alarm). For each batch: the number of schema violations (:func:`validate` against
    ``schema``), the columns :func:`drift_report` flags against the training rows, the
    largest PSI, and the model's accuracy on the batch and on the intact batch.
    """
    from .._validation import check_seeds

    rows = []
    for seed in check_seeds(seeds):
        rng = np.random.default_rng(seed)
        tr = _draw(train, n_train, rng)
        model = adult_model().fit(tr.drop(columns="income"), tr["income"].eq(">50K"))
        batch = _draw(test, batch_size, rng)
        intact = model.score(batch.drop(columns="income"), batch["income"].eq(">50K"))
        features = tr.drop(columns="income")
        for how in ("none", *BREAKS):
            broken = batch if how == "none" else break_batch(batch, how, seed=rng)
            drift = drift_report(features, broken.drop(columns="income"))
            score = model.score(broken.drop(columns="income"), broken["income"].eq(">50K"))
            rows.append({
                "seed": seed, "break": how, "violations": len(validate(broken, schema)),
                "drifted": ",".join(drift.index[drift["drift"]]), "max_psi": drift["psi"].max(),
                "accuracy": score, "loss": intact - score,
            })  # fmt: skip
    return pd.DataFrame(rows)
