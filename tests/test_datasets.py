"""The data layer: loaders, the cache folder, checksums and failed downloads."""

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dcai_course import datasets, weak_supervision
from dcai_course.datasets import REGISTRY, DataChecksumError, DataUnavailableError, fetch_file
from dcai_course.datasets.images import _read_idx as read_idx

SMALL_FILE = "letter_recognition/letter-recognition.names"
UNREACHABLE = "http://127.0.0.1:9/unreachable/file.csv"  # the discard port: refused at once


@pytest.fixture
def shared_data() -> Path:
    """The folder with the real, cached files (``$DCAI_COURSE_DATA`` in CI)."""
    folder = datasets.data_dir()
    missing = [rel for rel in REGISTRY if not (folder / rel).exists()]
    assert not missing, (
        f"The data files {missing} are not in {folder}. Set DCAI_COURSE_DATA to the folder "
        "that holds them (CI uses ../shared/data) or run `dcai-course fetch-data`."
    )
    return folder


@pytest.fixture
def empty_cache(tmp_path, monkeypatch) -> Path:
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv(datasets.DATA_ENV_VAR, str(cache))
    return cache


def test_registry_pins_every_file_with_sha256_and_url():
    # youtube, crowd, letters; label errors (4 sets, IMDB index); MNIST test; Adult; Wine
    assert len(REGISTRY) == 11 + 13 + 2 + 3 + 3
    for rel, entry in REGISTRY.items():
        assert len(entry.sha256) == 64, rel
        assert entry.url.startswith("https://raw.githubusercontent.com/"), rel
        assert entry.license and entry.citation, rel


def test_data_dir_follows_the_environment_variable(empty_cache):
    assert datasets.data_dir() == empty_cache.resolve()


def test_load_youtube_spam(shared_data):
    df = datasets.load_youtube_spam()
    assert list(df.columns) == ["video", "comment_id", "author", "date", "text", "label"]
    assert len(df) == 1956
    assert df.groupby("video").size().tolist() == [350, 350, 438, 448, 370]
    assert df.label.value_counts().to_dict() == {1: 1005, 0: 951}
    assert df.date.isna().sum() == 245  # as in the source file of the Eminem video
    assert df.loc[df.video == 4, "date"].isna().sum() == 245


@pytest.mark.parametrize(
    ("name", "n_items", "n_workers", "n_answers", "n_classes"),
    [("bluebirds", 108, 39, 4212, 2), ("dog", 807, 109, 8070, 4)],
)
def test_load_crowd(shared_data, name, n_items, n_workers, n_answers, n_classes):
    answers, truth = datasets.load_crowd(name)
    assert list(answers.columns) == ["item", "worker", "label"]
    assert len(answers) == n_answers
    assert answers.item.nunique() == n_items
    assert answers.worker.nunique() == n_workers
    assert set(answers.label.unique()) == set(range(n_classes))
    assert truth.index.name == "item" and len(truth) == n_items
    assert set(truth.index) == set(answers.item)
    assert not answers.duplicated(["item", "worker"]).any()


def test_load_crowd_unknown_name():
    with pytest.raises(ValueError, match="bluebirds"):
        datasets.load_crowd("ducks")


def test_load_letters(shared_data):
    X, y = datasets.load_letters()
    assert X.shape == (20_000, 16) and y.shape == (20_000,)
    assert X.min() == 0 and X.max() == 15
    counts = np.bincount(y)
    # the class distribution printed in the .names file: 789 A ... 734 Z
    assert counts[0] == 789 and counts[25] == 734 and counts.sum() == 20_000
    frame, _ = datasets.load_letters(as_frame=True)
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == datasets.LETTER_FEATURES


def test_load_mnist_gives_writable_images_in_file_order(shared_data):
    images, labels = datasets.load_mnist(split="test")
    assert images.shape == (10_000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10_000,) and labels.dtype == np.int64
    assert labels[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]  # as in SOURCES.md
    assert set(labels) == set(range(10)) and images.max() == 255 and images.min() == 0
    assert images.flags.writeable  # a copy, not a read-only view of the file's bytes


def test_load_mnist_unknown_split():
    with pytest.raises(ValueError, match="only MNIST's"):
        datasets.load_mnist(split="train")


def test_bundled_loaders():
    X, y = datasets.load_digits()
    assert X.shape == (1797, 64) and set(y) == set(range(10))
    X, y = datasets.load_breast_cancer()
    assert X.shape == (569, 30) and set(y) == {0, 1}


def test_loading_from_a_cache_folder(shared_data, empty_cache):
    target = empty_cache / SMALL_FILE
    target.parent.mkdir(parents=True)
    shutil.copy(shared_data / SMALL_FILE, target)
    assert fetch_file(SMALL_FILE) == target


def test_checksum_mismatch_is_reported_and_the_file_kept(shared_data, empty_cache):
    target = empty_cache / SMALL_FILE
    target.parent.mkdir(parents=True)
    target.write_bytes((shared_data / SMALL_FILE).read_bytes() + b"tampered")
    before = target.read_bytes()
    with pytest.raises(DataChecksumError, match="corrupt or has been modified") as info:
        fetch_file(SMALL_FILE)
    assert str(target) in str(info.value)
    assert target.read_bytes() == before  # nothing is lost or overwritten


def test_missing_file_without_network_gives_a_clear_error(empty_cache, monkeypatch):
    entry = REGISTRY[SMALL_FILE]
    monkeypatch.setitem(
        REGISTRY,
        SMALL_FILE,
        entry.__class__(UNREACHABLE, entry.sha256, entry.dataset, entry.license, entry.citation),
    )
    with pytest.raises(DataUnavailableError) as info:
        fetch_file(SMALL_FILE)
    message = str(info.value)
    assert SMALL_FILE in message and UNREACHABLE in message
    assert "DCAI_COURSE_DATA" in message and "What to do" in message
    assert not any(p.is_file() for p in empty_cache.rglob("*"))


def test_a_partial_download_never_remains_in_the_cache(shared_data, empty_cache):
    content = (shared_data / SMALL_FILE).read_bytes()

    def breaks_halfway(url, output_file, pooch_obj):
        Path(output_file).write_bytes(content[: len(content) // 2])
        raise ConnectionError("connection reset by peer")

    with pytest.raises(DataUnavailableError, match="connection reset"):
        fetch_file(SMALL_FILE, downloader=breaks_halfway)
    assert not any(p.is_file() for p in empty_cache.rglob("*"))


def test_a_download_with_the_wrong_content_is_discarded(empty_cache):
    def wrong_content(url, output_file, pooch_obj):
        Path(output_file).write_bytes(b"not the letter recognition file")

    with pytest.raises(DataChecksumError, match="download was discarded"):
        fetch_file(SMALL_FILE, downloader=wrong_content)
    assert not any(p.is_file() for p in empty_cache.rglob("*"))


def test_a_successful_download_lands_verified(shared_data, empty_cache):
    def copy_from_shared(url, output_file, pooch_obj):
        Path(output_file).write_bytes((shared_data / SMALL_FILE).read_bytes())

    path = fetch_file(SMALL_FILE, downloader=copy_from_shared)
    assert path == empty_cache / SMALL_FILE
    assert path.read_bytes() == (shared_data / SMALL_FILE).read_bytes()
    assert [p for p in empty_cache.rglob("*") if p.is_file()] == [path]


def test_unknown_file():
    with pytest.raises(ValueError, match="not in the data registry"):
        fetch_file("nope.csv")


def test_cache_status(shared_data, empty_cache):
    status = datasets.cache_status()
    assert set(status.status) == {"missing"}
    assert len(status) == len(REGISTRY)


# counts from ../shared/data/SOURCES.md: candidates reviewed, confirmed, majority verdicts
LABEL_ERRORS = {
    "mnist": (10_000, 10, 100, 15, {"guessed": 10, "neither": 3, "no majority": 2}),
    "cifar10": (10_000, 10, 275, 54, {"guessed": 18, "neither": 4, "no majority": 32}),
    "20news": (7_532, 20, 93, 82, {"guessed": 22, "both": 12, "neither": 5, "no majority": 43}),
    "imdb": (
        25_000,
        2,
        1_310,
        725,
        {"guessed": 173, "neutral": 200, "off-topic": 8, "no majority": 344},
    ),
}


@pytest.mark.parametrize("name", sorted(LABEL_ERRORS))
def test_load_label_errors(shared_data, name):
    n, k, n_reviewed, n_confirmed, majority = LABEL_ERRORS[name]
    labels, pred_probs, verdicts = datasets.load_label_errors(name)
    assert labels.shape == (n,) and labels.dtype == np.int64
    assert pred_probs.shape == (n, k) and pred_probs.dtype == np.float64
    assert np.allclose(pred_probs.sum(axis=1), 1, atol=1e-4)
    assert len(datasets.LABEL_ERROR_SETS[name]) == k
    assert len(verdicts) == n_reviewed and verdicts["index"].is_unique
    assert verdicts["index"].is_monotonic_increasing
    assert int(verdicts["confirmed"].sum()) == n_confirmed
    confirmed = verdicts.loc[verdicts["confirmed"], "verdict"].value_counts().to_dict()
    assert confirmed == majority
    assert (verdicts["confirmed"] == (verdicts["votes_given"] < 3)).all()
    rows = verdicts["index"].to_numpy()
    assert np.array_equal(verdicts["given_label"], labels[rows])
    assert np.array_equal(verdicts["guessed_label"], pred_probs[rows].argmax(axis=1))


def test_label_error_class_names_match_the_crowd_files(shared_data):
    import json

    for name in ("mnist", "cifar10", "20news"):
        items = json.loads((shared_data / f"label_errors/{name}_mturk.json").read_text())
        for item in items:
            names = datasets.LABEL_ERROR_SETS[name]
            assert names[item["given_original_label"]] == item["given_original_label_name"]


def test_load_label_errors_bad_names():
    with pytest.raises(ValueError, match="cifar10"):
        datasets.load_label_errors("cifar100")
    with pytest.raises(TypeError, match="string"):
        datasets.load_label_errors(10)


def test_load_mnist(shared_data):
    images, labels = datasets.load_mnist()
    assert images.shape == (10_000, 28, 28) and images.dtype == np.uint8
    assert labels[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert np.bincount(labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert np.array_equal(labels, datasets.load_label_errors("mnist").labels)
    assert images.max() == 255 and images.min() == 0
    with pytest.raises(ValueError, match="test"):
        datasets.load_mnist("train")


def test_a_file_that_is_not_idx_is_refused(tmp_path):
    import gzip

    path = tmp_path / "bad.gz"
    path.write_bytes(gzip.compress(b"\x00\x00\x08\x01\x00\x00\x00\x01\x07"))
    with pytest.raises(ValueError, match="magic"):
        read_idx(path, 2051)


# -- UCI Adult and Wine Quality ------------------------------------------------------------


@pytest.mark.parametrize(
    ("split", "rows", "incomplete_rows", "missing_cells", "rich"),
    [("train", 32_561, 2_399, 4_262, 7_841), ("test", 16_281, 1_221, 2_203, 3_846)],
)
def test_adult_matches_the_counts_in_its_documentation(split, rows, incomplete_rows,
                                                       missing_cells, rich):  # fmt: skip
    from dcai_course.datasets import ADULT_COLUMNS, ADULT_NUMERIC, load_adult

    frame = load_adult(split)
    assert list(frame.columns) == ADULT_COLUMNS and len(frame) == rows
    assert frame.isna().any(axis=1).sum() == incomplete_rows
    assert frame.isna().sum().sum() == missing_cells
    assert set(frame["income"]) == {"<=50K", ">50K"}
    assert (frame["income"] == ">50K").sum() == rich
    assert all(frame[c].dtype == np.int64 for c in ADULT_NUMERIC)
    assert not frame["workclass"].dropna().str.startswith(" ").any()


def test_raw_adult_keeps_every_field_as_written():
    from dcai_course.datasets import load_adult

    raw = load_adult("test", clean=False)
    assert len(raw) == 16_281
    first = raw.iloc[0]
    assert first["workclass"] == " Private" and first["income"] == " <=50K."
    assert (raw == " ?").sum().sum() == 2_203


def test_adult_preprocessor_fits_a_model_that_transfers_to_the_test_split():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from dcai_course.datasets import adult_preprocessor, load_adult

    train, test = load_adult("train").iloc[:4000], load_adult("test")
    model = make_pipeline(adult_preprocessor(), LogisticRegression(max_iter=500))
    model.fit(train.drop(columns="income"), train["income"])
    accuracy = (model.predict(test.drop(columns="income")) == test["income"]).mean()
    assert accuracy > (test["income"] == "<=50K").mean() + 0.05  # beats the majority class


def test_wine_quality_has_both_colors_and_no_missing_values():
    from dcai_course.datasets import load_wine_quality

    both = load_wine_quality()
    assert both.shape == (6_497, 13)
    assert both["color"].value_counts().to_dict() == {"white": 4_898, "red": 1_599}
    assert both.isna().sum().sum() == 0
    red = load_wine_quality("red")
    assert red["quality"].value_counts().sort_index().to_dict() == {
        3: 10,
        4: 53,
        5: 681,
        6: 638,
        7: 199,
        8: 18,
    }


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda d: d.load_adult("validation"), ValueError, "split"),
        (lambda d: d.load_adult(1), TypeError, "split"),
        (lambda d: d.load_wine_quality("rose"), ValueError, "color"),
    ],
)
def test_adult_and_wine_refuse_unknown_choices(call, error, match):
    with pytest.raises(error, match=match):
        call(datasets)


@pytest.mark.parametrize(
    "call",
    [
        lambda: datasets.load_adult("test", clean="no"),
        lambda: datasets.load_letters(as_frame="no"),
        lambda: datasets.youtube_spam_splits(train_labels="yes"),
        lambda: weak_supervision.uncovered_splits(heldout_labels=1),
    ],
)
def test_flags_must_be_true_or_false(call):
    with pytest.raises(TypeError, match="must be True or False"):
        call()
