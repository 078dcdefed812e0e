"""Lab 06's Q1-Q4: good answers pass the hidden tests, the tempting shortcuts fail them."""

import numpy as np
import pandas as pd
import pytest

from dcai_course.grading.spec import get_question, run_question
from dcai_course.quality.features import _normalize_texts


def grade(question_id, answer, seed=3):
    return run_question(get_question(question_id), answer, include_hidden=True, seed=seed)


def union_by_size(n, pairs):
    """A union-find with union by size and an iterative find."""
    parent, size = np.arange(n), np.ones(n, dtype=int)

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]  # path halving
            i = parent[i]
        return i

    for a, b in np.asarray(pairs, dtype=int).reshape(-1, 2):
        ra, rb = find(a), find(b)
        if ra != rb:
            if size[ra] < size[rb]:
                ra, rb = rb, ra
            parent[rb], size[ra] = ra, size[ra] + size[rb]
    roots = pd.Series([find(i) for i in range(n)])
    groups = [np.sort(g) for g in roots.groupby(roots).indices.values() if len(g) > 1]
    return sorted(groups, key=lambda g: g[0])


def recursive_union_find(n, pairs):
    parent = list(range(n))

    def find(i):
        return i if parent[i] == i else find(parent[i])

    for a, b in np.asarray(pairs, dtype=int).reshape(-1, 2).tolist():
        parent[find(a)] = find(b)
    roots = pd.Series([find(i) for i in range(n)])
    return [np.sort(g) for g in roots.groupby(roots).indices.values() if len(g) > 1]


def split_by_author_and_text(authors, texts, test_size, seed):
    n = len(authors)
    pairs = []
    for key in (pd.Series(list(authors)), pd.Series(_normalize_texts(np.asarray(texts, object)))):
        codes = pd.factorize(key)[0]
        first = pd.Series(np.arange(n)).groupby(codes).transform("min").to_numpy()
        pairs.append(np.column_stack([np.arange(n), first]))
    group = np.arange(n)
    for g in union_by_size(n, np.vstack(pairs)):
        group[g] = g[0]
    test = np.zeros(n, dtype=bool)
    for g in np.random.default_rng(seed).permutation(np.unique(group)):
        if test.mean() >= test_size:
            break
        test[group == g] = True
    return np.flatnonzero(~test), np.flatnonzero(test)


def split_by_author_only(authors, texts, test_size, seed):
    from sklearn.model_selection import GroupShuffleSplit

    splitter = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)
    return next(splitter.split(np.zeros(len(authors)), groups=list(authors)))


def weights_by_value_counts(labels):
    counts = pd.Series(labels).value_counts()
    return (len(labels) / (len(counts) * counts.loc[labels])).to_numpy()


def weights_by_bincount(labels):
    counts = np.bincount(labels)
    return len(labels) / (len(counts) * counts[labels])


def _groups_of_rows(keys):
    codes = keys.groupby(list(keys.columns), sort=False).ngroup()
    return [np.sort(g) for g in codes.groupby(codes).indices.values() if len(g) > 1]


def _texts_normalised(table):
    text_columns = [c for c in table if not pd.api.types.is_numeric_dtype(table[c])]
    return table.assign(**{c: _normalize_texts(table[c].to_numpy(object)) for c in text_columns})


def rounded_and_normalised(table, decimals):
    keys = _texts_normalised(table)
    numeric = keys.select_dtypes("number").columns
    keys[numeric] = keys[numeric].astype(float).round(decimals) + 0.0
    return _groups_of_rows(keys)


def rows_equal_without_rounding(table, decimals):
    return _groups_of_rows(_texts_normalised(table))


@pytest.mark.parametrize(
    "question_id, good, lazy, message",
    [
        ("06.q1", rounded_and_normalised, rows_equal_without_rounding, "expected"),
        ("06.q2", union_by_size, recursive_union_find, "recursion"),
        ("06.q3", split_by_author_and_text, split_by_author_only, "both splits"),
        ("06.q4", weights_by_value_counts, weights_by_bincount, "differs"),
    ],
)
def test_good_answers_pass_and_shortcuts_fail(question_id, good, lazy, message):
    assert grade(question_id, good).status == "passed", grade(question_id, good).message
    result = grade(question_id, lazy)
    assert result.status in ("failed", "error") and message in result.message, result.message


def test_q3_an_unseeded_or_lopsided_split_fails():
    def always_the_same(authors, texts, test_size, seed):
        return split_by_author_and_text(authors, texts, test_size, 0)

    def everything_in_training(authors, texts, test_size, seed):
        return np.arange(len(authors)), np.array([], dtype=int)

    assert "use the seed" in grade("06.q3", always_the_same).message
    assert "holds 0.000" in grade("06.q3", everything_in_training).message
