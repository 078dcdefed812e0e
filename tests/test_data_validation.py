"""dcai_course.validation: schemas against pandera, PSI/KS/chi-square against SciPy,
content hashes and the lineage-recording pipeline."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from dcai_course import datasets
from dcai_course import validation as v


@pytest.fixture(scope="module")
def adult():
    return datasets.load_adult("train"), datasets.load_adult("test")


@pytest.fixture(scope="module")
def schema(adult):
    return (
        v.infer_schema(adult[0])
        .with_rule("fnlwgt", minimum=1, maximum=None)
        .with_rule("age", minimum=16, maximum=100)
    )


def _random_frame(rng, n=400):
    df = pd.DataFrame(
        {
            "a": rng.integers(-5, 20, n),
            "b": rng.normal(size=n),
            "c": rng.choice(["x", "y", "z", "w"], n),
            "d": rng.choice(["p", "q", None], n),
            "id": rng.permutation(n) if rng.random() < 0.5 else rng.integers(0, n, n),
        }
    )
    df.loc[rng.random(n) < 0.05, "b"] = np.nan
    return df


def test_infer_schema_adult(adult):
    s = v.infer_schema(adult[0])
    assert s.columns["age"] == v.ColumnRule("int", False, 17, 90)
    assert s.columns["sex"].allowed == ("Female", "Male")
    assert s.columns["workclass"].nullable and not s.columns["education"].nullable
    assert len(v.validate(adult[0], s)) == 0


@pytest.mark.parametrize("seed", range(4))
def test_validate_agrees_with_pandera_random(seed):
    rng = np.random.default_rng(seed)
    trusted = _random_frame(rng)
    s = v.Schema(
        {
            "a": v.ColumnRule("int", minimum=0, maximum=15),
            "b": v.ColumnRule("float", minimum=-1.5, maximum=1.5),
            "c": v.ColumnRule("category", allowed=("x", "y", "z")),
            "d": v.ColumnRule("category", nullable=bool(rng.random() < 0.5), allowed=("p", "q")),
            "id": v.ColumnRule("int", unique=True),
        }
    )
    batch = _random_frame(rng).drop(columns=["d"] if rng.random() < 0.3 else [])
    batch["extra"] = 1
    ours, theirs = v.validate(batch, s), v.pandera_violations(batch, s)
    assert v.violation_keys(ours) == v.violation_keys(theirs)
    assert len(ours) > 0
    assert len(v.validate(trusted, v.infer_schema(trusted))) == 0


def test_validate_agrees_with_pandera_on_raw_adult(schema):
    raw = datasets.load_adult("test", clean=False).iloc[:3000]
    ours, theirs = v.validate(raw, schema), v.pandera_violations(raw, schema)
    assert v.violation_keys(ours) == v.violation_keys(theirs)
    assert set(ours.loc[ours["rule"] == "dtype", "column"]) == set(datasets.ADULT_NUMERIC)


@pytest.mark.parametrize("how", v.BREAKS)
def test_broken_batches_agree_with_pandera(adult, schema, how):
    broken = v.break_batch(adult[1].iloc[:2000], how, seed=0)
    assert v.violation_keys(v.validate(broken, schema)) == v.violation_keys(
        v.pandera_violations(broken, schema)
    )


def test_validate_reports_row_column_rule_value():
    s = v.Schema({"age": v.ColumnRule("int", minimum=17, maximum=90)})
    df = pd.DataFrame({"age": [30, 12, 95]}, index=[10, 11, 12])
    table = v.validate(df, s)
    assert table.columns.tolist() == v.VIOLATION_COLUMNS
    expected = [[11, "minimum", 12], [12, "maximum", 95]]
    assert table[["row", "rule", "value"]].to_numpy().tolist() == expected


def test_validate_bad_inputs():
    s = v.Schema({"a": v.ColumnRule("int")})
    with pytest.raises(TypeError, match="DataFrame"):
        v.validate(np.zeros(3), s)
    with pytest.raises(TypeError, match="Schema"):
        v.validate(pd.DataFrame({"a": [1]}), {"a": "int"})
    with pytest.raises(ValueError, match="kind"):
        v.ColumnRule("number")
    with pytest.raises(ValueError, match="minimum"):
        v.ColumnRule("category", minimum=1)
    with pytest.raises(TypeError, match="tuple of strings"):
        v.ColumnRule("category", allowed="ab")
    with pytest.raises(ValueError, match="above maximum"):
        v.ColumnRule("int", minimum=5, maximum=1)
    with pytest.raises(ValueError, match="no column"):
        s.with_rule("b", minimum=0)
    with pytest.raises(ValueError, match="empty"):
        v.infer_schema(pd.DataFrame({"a": []}))
    with pytest.raises(TypeError, match="dtype"):
        v.infer_schema(pd.DataFrame({"a": [True, False]}))


def test_psi_is_symmetric_kl_of_binned_shares():
    rng = np.random.default_rng(0)
    e, a = rng.normal(size=3000), rng.normal(0.3, 1.2, size=2000)
    edges = np.quantile(e, np.linspace(0, 1, 11)[1:-1])
    pe = np.bincount(np.searchsorted(edges, e, side="right"), minlength=10) / e.size
    pa = np.bincount(np.searchsorted(edges, a, side="right"), minlength=10) / a.size
    reference = stats.entropy(pa, pe) + stats.entropy(pe, pa)
    assert v.psi(e, a) == pytest.approx(reference, rel=1e-9)
    assert v.psi(e, e) == pytest.approx(0.0, abs=1e-12)


def test_psi_categories_and_missing():
    assert v.psi(["a"] * 50 + ["b"] * 50, ["a"] * 90 + ["b"] * 10) == pytest.approx(
        0.4 * np.log(0.9 / 0.5) - 0.4 * np.log(0.1 / 0.5)
    )
    x = pd.Series(np.arange(100.0))
    assert v.psi(x, pd.Series(np.full(100, np.nan))) > 5  # a column of nulls
    with pytest.raises(ValueError, match="non-empty"):
        v.psi([], [1.0])
    with pytest.raises(ValueError, match="bins"):
        v.psi([1.0, 2.0], [1.0], bins=1)


@pytest.mark.parametrize("seed", range(3))
def test_ks_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=int(rng.integers(20, 2000)))
    b = rng.normal(float(rng.uniform(-0.3, 0.3)), size=int(rng.integers(20, 2000)))
    if seed == 2:
        a, b = np.round(a), np.round(b)  # ties
    ref = stats.ks_2samp(a, b, method="asymp")
    d, p = v.ks_2sample(a, b)
    assert d == pytest.approx(ref.statistic, abs=1e-12)
    assert p == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-300)


def test_chi2_matches_scipy(adult):
    train, test = adult
    for col in ("workclass", "occupation", "race"):
        a, b = train[col], test[col].iloc[:3000]
        cats = pd.concat([a, b]).fillna("<missing>")
        table = pd.crosstab(np.r_[np.zeros(len(a)), np.ones(len(b))], cats.to_numpy())
        ref = stats.chi2_contingency(table, correction=False)
        stat, p = v.chi2_2sample(a, b)
        assert stat == pytest.approx(ref.statistic, rel=1e-9)
        assert p == pytest.approx(ref.pvalue, rel=1e-7)
    assert v.chi2_2sample(["a"] * 5, ["a"] * 3) == (0.0, 1.0)


def test_drift_report_flags_each_break(adult):
    train, test = adult
    batch = test.iloc[:2000]
    features = train.drop(columns="income")
    clean = v.drift_report(features, batch.drop(columns="income"))
    assert not clean["drift"].any()
    for how, column in [("unit_change", "hours_per_week"), ("null_column", "occupation"),
                        ("renamed_category", "workclass")]:  # fmt: skip
        report = v.drift_report(features, v.break_batch(batch, how).drop(columns="income"))
        assert report["drift"].tolist() == (report.index == column).tolist(), how
    with pytest.raises(ValueError, match="not in reference"):
        v.drift_report(features, batch, columns=["nope"])
    with pytest.raises(ValueError, match="how"):
        v.break_batch(batch, "typo")


def test_hash_array_and_frame():
    arr = np.arange(6).reshape(2, 3)
    direct = hashlib.sha256(f"{arr.dtype.str}|{arr.shape}|".encode() + arr.tobytes()).hexdigest()
    assert v.hash_array(arr) == direct
    assert v.hash_array(arr) != v.hash_array(arr.astype(float))
    assert v.hash_array(arr) != v.hash_array(arr.reshape(3, 2))
    with pytest.raises(TypeError, match="object"):
        v.hash_array(np.array(["a", None], dtype=object))
    df = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    shuffled = df.iloc[[2, 0, 1]]
    assert v.hash_frame(df) != v.hash_frame(shuffled)
    assert v.hash_frame(df, ignore_row_order=True) == v.hash_frame(shuffled, ignore_row_order=True)
    assert v.hash_frame(df) == v.hash_frame(df.copy())
    assert v.hash_frame(df) != v.hash_frame(df.rename(columns={"a": "A"}))
    assert v.hash_frame(df) != v.hash_frame(df.astype({"a": float}))
    edited = df.copy()
    edited.loc[1, "b"] = "Y"
    assert v.hash_frame(df) != v.hash_frame(edited)
    assert v.hash_frame(df) == v.hash_frame(df.set_index(pd.Index([7, 8, 9])))
    assert v.hash_frame(df, include_index=True) != v.hash_frame(
        df.set_index(pd.Index([7, 8, 9])), include_index=True
    )
    with pytest.raises(TypeError, match="DataFrame"):
        v.hash_frame(arr)


def test_pipeline_recomputes_exactly_downstream():
    calls = []

    def double(x):
        calls.append("double")
        return x * 2

    def total(a, b):
        calls.append("total")
        return pd.DataFrame({"s": [a["v"].sum() + b["v"].sum()]})

    p = v.DataPipeline()
    p.source("left", pd.DataFrame({"v": [1, 2]}))
    p.source("right", pd.DataFrame({"v": [3]}))
    p.step("left2", double, ["left"])
    p.step("right2", double, ["right"])
    p.step("sum", total, ["left2", "right2"])
    out = p.run()
    assert out["sum"]["s"].tolist() == [12]
    first = p.lineage().set_index("name")
    p.source("right", pd.DataFrame({"v": [4]}))
    calls.clear()
    out = p.run()
    second = p.lineage().set_index("name")
    changed = (first["fingerprint"] != second["fingerprint"]).to_dict()
    assert changed == {"left": False, "right": True, "left2": False, "right2": True, "sum": True}
    assert second["cached"].to_dict() == {"left": False, "right": False, "left2": True,
                                          "right2": False, "sum": False}  # fmt: skip
    assert calls == ["double", "total"] and out["sum"]["s"].tolist() == [14]
    with pytest.raises(ValueError, match="no earlier"):
        p.step("bad", double, ["missing"])
    with pytest.raises(ValueError, match="already used"):
        p.step("sum", double, ["left"])
    with pytest.raises(ValueError, match="run"):
        v.DataPipeline().lineage()


def test_profile_and_patterns():
    raw = datasets.load_adult("train", clean=False)
    prof = v.profile(raw)
    assert prof.loc["workclass", "missing_tokens"] == 1836
    assert prof.loc["age", "padded"] == 0 and prof.loc["sex", "padded"] == len(raw)
    assert prof.loc["age", "numeric_strings"] == 1.0
    assert v.string_patterns(["2014-01-02", None, "02/01/2014"]).to_dict() == {
        "9999-99-99": 1, "<missing>": 1, "99/99/9999": 1}  # fmt: skip
    dates = v.raw_youtube_dates()
    assert len(dates) == 1956 and (dates["date"] == "").sum() == 245


def test_missing_value_experiment_shape(adult):
    runs = v.missing_value_experiment(*adult, [0], n_train=1000, n_test=1000)
    assert runs["strategy"].tolist() == list(v.MISSING_STRATEGIES)
    assert runs["accuracy"].between(0.7, 0.95).all()
    assert runs.loc[runs["strategy"] == "drop rows", "train_rows"].iloc[0] < 1000
    with pytest.raises(ValueError, match="strategy"):
        v.adult_model("mean")


# --- bad inputs found by benchmarks/sweep_bad_inputs.py -------------------------------------


@pytest.mark.parametrize(
    "bound, exc", [(float("nan"), ValueError), ("0", TypeError), (True, TypeError),
                   ([0], TypeError), (1j, TypeError)]
)  # fmt: skip
def test_column_rule_bounds_must_be_numbers(bound, exc):
    with pytest.raises(exc, match="minimum"):
        v.ColumnRule("float", minimum=bound)
    with pytest.raises(exc, match="maximum"):
        v.ColumnRule("float", maximum=bound)
    with pytest.raises(exc, match="maximum"):
        v.Schema({"a": v.ColumnRule("float")}).with_rule("a", maximum=bound)
    assert v.ColumnRule("float", minimum=-np.inf, maximum=np.inf).maximum == np.inf


def test_schema_names_its_bad_arguments():
    with pytest.raises(ValueError, match="columns must be a non-empty dict"):
        v.Schema([v.ColumnRule("int")])
    with pytest.raises(TypeError, match="column must be a non-empty string"):
        v.Schema({"a": v.ColumnRule("int")}).with_rule(["a"], minimum=0)


def test_pandera_violations_refuses_an_array():
    schema = v.Schema({"a": v.ColumnRule("int")})
    with pytest.raises(TypeError, match="df must be a pandas DataFrame"):
        v.pandera_violations(np.zeros((3, 1)), schema)


@pytest.mark.parametrize(
    "func", [v.psi, v.ks_2sample, v.chi2_2sample, lambda a, b: v.string_patterns(a)]
)
def test_samples_must_be_one_column(func):
    two_d = np.array([["a"], ["b"]]) if func is not v.psi else np.zeros((4, 1))
    with pytest.raises(ValueError, match="1-D"):
        func(two_d, two_d[:, 0])
    with pytest.raises(TypeError, match="one"):
        func("abc", np.array(["a", "b"]))
    with pytest.raises((TypeError, ValueError)):
        func(pd.DataFrame({"x": ["a", "b"]}), np.array(["a", "b"]))


def test_ks_refuses_strings_that_look_like_numbers():
    with pytest.raises(TypeError, match="a must hold numbers"):
        v.ks_2sample(np.array(["1.0", "2.0"]), np.array([1.0, 2.0]))
    # psi bins strings as categories, as documented
    assert v.psi(["a", "b"], ["a", "b"]) == 0.0
