"""Real data sets for the course, offline first.

Two kinds of data are used:

* scikit-learn's bundled sets (digits, breast cancer), which need no network;
* files fetched once through a single `pooch <https://www.fatiando.org/pooch>`_ registry,
  each pinned to an exact URL and SHA-256 checksum (see :data:`REGISTRY`).

The cache folder is read from the environment variable ``DCAI_COURSE_DATA``; when it is
not set, the user's cache folder is used (``pooch.os_cache("dcai-course")``, e.g.
``~/.cache/dcai-course`` on Linux). A file that is already in the cache is checked
against its checksum and never downloaded again; a file that is missing is downloaded
to a temporary name and moved into place only once its checksum matches, so a broken
download never leaves a partial file behind.

Taught in: notebooks/01_model_vs_data_centric.ipynb (every later notebook uses it).
"""

from __future__ import annotations

import contextlib
import os
import string
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pooch

__all__ = [
    "DATA_ENV_VAR",
    "LABEL_ERROR_SETS",
    "LETTER_FEATURES",
    "LETTER_NAMES",
    "REGISTRY",
    "DataChecksumError",
    "DataFile",
    "DataUnavailableError",
    "LabelErrorsSet",
    "YouTubeSpamSplits",
    "cache_status",
    "data_dir",
    "fetch_file",
    "load_breast_cancer",
    "load_crowd",
    "load_digits",
    "load_label_errors",
    "load_letters",
    "load_mnist",
    "load_youtube_spam",
    "youtube_spam_splits",
]

DATA_ENV_VAR = "DCAI_COURSE_DATA"


@dataclass(frozen=True)
class DataFile:
    """One pinned file of the registry: where it comes from and under which terms."""

    url: str
    sha256: str
    dataset: str
    license: str
    citation: str


_YOUTUBE_BASE = (
    "https://raw.githubusercontent.com/MohdSaifHussain/ts-sentry/"
    "977d520ce04df92af397efd0a8a67303c82eb6c9/examples/data/youtube-spam-collection/"
)
_CROWD_BASE = (
    "https://raw.githubusercontent.com/zhydhkcws/crowd_truth_infer/"
    "8d216471071f09b9e474ee19f8d692447f982f88/datasets/"
)
_YOUTUBE_LICENSE = "CC BY 4.0"
_YOUTUBE_CITATION = (
    "Alberto, T.C., Lochter, J.V., Almeida, T.A. TubeSpam: Comment Spam Filtering on "
    "YouTube. ICMLA 2015. Data: YouTube Spam Collection, UCI ML Repository, "
    "https://doi.org/10.24432/C58885"
)
_CROWD_LICENSE = "none stated by the redistributor (research benchmark data)"
_ZHENG = (
    "Zheng, Li, Li, Shan, Cheng. Truth Inference in Crowdsourcing: Is the Problem "
    "Solved? PVLDB 10(5):541-552, 2017"
)
_BLUEBIRDS_CITATION = (
    "Welinder, Branson, Belongie, Perona. The Multidimensional Wisdom of Crowds. "
    f"NIPS 2010; redistributed by {_ZHENG}"
)
_DOG_CITATION = (
    "Zhou, Platt, Basu, Mao. Learning from the Wisdom of Crowds by Minimax Entropy. "
    f"NIPS 2012; redistributed by {_ZHENG}"
)
_LETTERS_LICENSE = "CC BY 4.0"
_LETTERS_CITATION = (
    "Slate, D. (1991). Letter Recognition [Dataset]. UCI Machine Learning Repository. "
    "https://doi.org/10.24432/C5ZP40; Frey & Slate, Machine Learning 6(2):161-182, 1991"
)

_YOUTUBE_FILES = {
    "Youtube01-Psy.csv": "19797e6c77690e3c8809cfd2853ae7341390636367ba66cf5d4f4083f0b88535",
    "Youtube02-KatyPerry.csv": "902c614f8ef24f987d6f614d7e6111aa5160b89a0646b68e007bd6044a3d123b",
    "Youtube03-LMFAO.csv": "702ef589860a1831956f527760a3d9737ef8a07ab36c7de35b92b8898b8c3928",
    "Youtube04-Eminem.csv": "92f54eb6b22fdf3b7ae85e1f500e5aa7442edd025e504b988a97078756187e76",
    "Youtube05-Shakira.csv": "1d8ab47b71e8037c51183b2fc62f0591a48a4b54f3a4f5d9d3043113b274e98e",
}

_MNIST_BASE = (
    "https://raw.githubusercontent.com/lynnlangit/AdvancedPythonForBio/"
    "5d50664c78bc02228c59e8ccfe7a395d64f14a4e/"
)
_MNIST_LICENSE = (
    "none stated by the source (yann.lecun.com/exdb/mnist states no licence; "
    "redistributors often list CC BY-SA 3.0)"
)
_MNIST_CITATION = (
    "LeCun, Y., Cortes, C., Burges, C.J.C. The MNIST database of handwritten digits; "
    "LeCun, Bottou, Bengio, Haffner (1998). Gradient-based learning applied to document "
    "recognition. Proc. IEEE 86(11):2278-2324"
)

#: Every downloadable file of the course: local relative path -> pinned source.
#: The relative paths are the layout of the cache folder (and of ``../shared/data``).
REGISTRY: dict[str, DataFile] = {
    **{
        f"youtube_spam/{name}": DataFile(
            _YOUTUBE_BASE + name, sha, "youtube_spam", _YOUTUBE_LICENSE, _YOUTUBE_CITATION
        )
        for name, sha in _YOUTUBE_FILES.items()
    },
    "crowd/d_Duck_Identification/answer.csv": DataFile(
        _CROWD_BASE + "d_Duck%20Identification/answer.csv",
        "0d5e423652c079361a4cbc0adbee0945d40f02a9dedcfb6b068e8f2af63b24f0",
        "bluebirds",
        _CROWD_LICENSE,
        _BLUEBIRDS_CITATION,
    ),
    "crowd/d_Duck_Identification/truth.csv": DataFile(
        _CROWD_BASE + "d_Duck%20Identification/truth.csv",
        "04c6d8b6cdc298b63c05dc87d28ceebd018d4207e0ced7c1229ca3593a74983a",
        "bluebirds",
        _CROWD_LICENSE,
        _BLUEBIRDS_CITATION,
    ),
    "crowd/s4_Dog_data/answer.csv": DataFile(
        _CROWD_BASE + "s4_Dog%20data/answer.csv",
        "db11159198f59fa2af87450b008f860ca2e9e04e3f15c697ef254af40fb6763a",
        "dog",
        _CROWD_LICENSE,
        _DOG_CITATION,
    ),
    "crowd/s4_Dog_data/truth.csv": DataFile(
        _CROWD_BASE + "s4_Dog%20data/truth.csv",
        "2a641fa31e80526164d956da4228f80d31b303c2691ab1855c76fef72d04b746",
        "dog",
        _CROWD_LICENSE,
        _DOG_CITATION,
    ),
    "letter_recognition/letter-recognition.data": DataFile(
        "https://raw.githubusercontent.com/CoderYashK/CPP-Neural-Net/"
        "1a1bb9088f0d3f2d4a3e2bc337ed6e0a45c9cbe0/letter-recognition.data",
        "fc73132b04e7887d874c9f33dff4aac73c90051906b631bd54e6348d624d70a3",
        "letters",
        _LETTERS_LICENSE,
        _LETTERS_CITATION,
    ),
    "letter_recognition/letter-recognition.names": DataFile(
        "https://raw.githubusercontent.com/faustvg/ML-Letter-Recognition-2/"
        "4fd06952deb01c04d8b4c32004650b3e9509c355/letter-recognition.names",
        "128b85adc32bd58a93ed6e1df136b1d7c636f85f290ba3db655ccaa19c86d324",
        "letters",
        _LETTERS_LICENSE,
        _LETTERS_CITATION,
    ),
    "mnist/t10k-images-idx3-ubyte.gz": DataFile(
        _MNIST_BASE + "t10k-images-idx3-ubyte.gz",
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        "mnist",
        _MNIST_LICENSE,
        _MNIST_CITATION,
    ),
    "mnist/t10k-labels-idx1-ubyte.gz": DataFile(
        _MNIST_BASE + "t10k-labels-idx1-ubyte.gz",
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        "mnist",
        _MNIST_LICENSE,
        _MNIST_CITATION,
    ),
}

_LABEL_ERRORS_BASE = (
    "https://raw.githubusercontent.com/cleanlab/label-errors/"
    "6d5d6b31a13216290afc40e5c6319399c4d15c06/"
)
_LABEL_ERRORS_LICENSE = (
    "Apache-2.0 (cleanlab/label-errors at the pinned commit); the underlying test sets "
    "keep their own terms"
)
_LABEL_ERRORS_CITATION = (
    "Northcutt, C.G., Athalye, A., Mueller, J. Pervasive Label Errors in Test Sets "
    "Destabilize Machine Learning Benchmarks. NeurIPS 2021 Datasets and Benchmarks "
    "Track; arXiv:2103.14749"
)
#: (folder in cleanlab/label-errors, file name suffix, sha256) per file and test set.
_LABEL_ERRORS_FILES = {
    "mnist": {
        "pyx": "403d0f1188c8940ceb47994a2cd9eb2aee6946810b5488d9d4501c97e09f30c2",
        "labels": "9c4b8d0ef379b2ce0d312470484d79e282a47e092738fca1edff326f9b67c20e",
        "mturk": "448bd00fc9df262c68d50d48709d7fa3d5dc966bc66580e5df20e0dcba6e5612",
    },
    "cifar10": {
        "pyx": "c445b25cee680e3919b4bd81d230a5c7c2179ed556609d84e000ee046bb44b49",
        "labels": "8fba587d5b11011df52b2a20eb4a272eeaf20c2d162554059f714d4b78d23aed",
        "mturk": "81b2c16c9eee060d6cc2390f6bbce1e0e7be0a050574be5177c9428f3596b5b5",
    },
    "20news": {
        "pyx": "aa3669c77dd6d8c35a450879f168f6ef862c594dd9f443a61151a4a6ee57c5f9",
        "labels": "079079c382f23c63d6af73102ac89d68c1141ab32f03b0d8fd6565c83c862616",
        "mturk": "0f14cda08aedfa79e883aaf6db43adfbf91b4affd5947cd832b7ccfb2d4dafc4",
    },
    "imdb": {
        "pyx": "0ff95c853bbe5060a8321a534d2bacadee32974f87810791df37d594765e3fa7",
        "labels": "f489eda3b18f3cdb66877809ca0768ac99facebbdad57114e4162b02c08169c4",
        "mturk": "80c15f04208276a4433b8f3d76405203487e38e95397709f762133fa10e82486",
        "index": "f603d86279b825dc86cdbb278a25ce1cc1fb7cbc64a7f6102aff52250582cc47",
    },
}
_LABEL_ERRORS_PATHS = {
    "pyx": ("cross_validated_predicted_probabilities", "{name}_test_set_pyx.npy"),
    "labels": ("original_test_labels", "{name}_test_set_original_labels.npy"),
    "mturk": ("mturk", "{name}_mturk.json"),
    "index": ("dataset_indexing", "{name}_test_set_index_to_filename.json"),
}


def _label_errors_entries() -> dict[str, DataFile]:
    entries = {}
    for name, files in _LABEL_ERRORS_FILES.items():
        for kind, sha in files.items():
            folder, pattern = _LABEL_ERRORS_PATHS[kind]
            filename = pattern.format(name=name)
            entries[f"label_errors/{filename}"] = DataFile(
                f"{_LABEL_ERRORS_BASE}{folder}/{filename}",
                sha,
                f"label_errors_{name}",
                _LABEL_ERRORS_LICENSE,
                _LABEL_ERRORS_CITATION,
            )
    return entries


_MNIST_BASE = (
    "https://raw.githubusercontent.com/lynnlangit/AdvancedPythonForBio/"
    "5d50664c78bc02228c59e8ccfe7a395d64f14a4e/"
)
_MNIST_LICENSE = (
    "none stated by the source or by the MNIST page (yann.lecun.com/exdb/mnist); "
    "redistributors often list CC BY-SA 3.0"
)
_MNIST_CITATION = (
    "LeCun, Y., Cortes, C., Burges, C.J.C. The MNIST database of handwritten digits; "
    "LeCun, Bottou, Bengio, Haffner (1998). Gradient-based learning applied to document "
    "recognition. Proc. IEEE 86(11):2278-2324"
)
_MNIST_FILES = {
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

REGISTRY.update(_label_errors_entries())
REGISTRY.update(
    {
        f"mnist/{name}": DataFile(_MNIST_BASE + name, sha, "mnist", _MNIST_LICENSE, _MNIST_CITATION)
        for name, sha in _MNIST_FILES.items()
    }
)

#: The 26 classes of Letter Recognition, in label order (label 0 is "A").
LETTER_NAMES: list[str] = list(string.ascii_uppercase)

#: The 16 integer features of Letter Recognition, as named in its ``.names`` file.
LETTER_FEATURES: list[str] = [
    "x-box", "y-box", "width", "high", "onpix", "x-bar", "y-bar", "x2bar",
    "y2bar", "xybar", "x2ybr", "xy2br", "x-ege", "xegvy", "y-ege", "yegvx",
]  # fmt: skip


class DataUnavailableError(RuntimeError):
    """A data file is not in the cache and could not be downloaded."""


class DataChecksumError(DataUnavailableError):
    """A data file's SHA-256 does not match the pinned value."""


def data_dir() -> Path:
    """The cache folder: ``$DCAI_COURSE_DATA`` if set, else the user's cache folder."""
    env = os.environ.get(DATA_ENV_VAR)
    if env:
        return Path(env).expanduser().resolve()
    return Path(pooch.os_cache("dcai-course"))


def _make_pooch(cache: Path) -> pooch.Pooch:
    return pooch.create(
        path=cache,
        base_url="",
        registry={rel: f"sha256:{f.sha256}" for rel, f in REGISTRY.items()},
        urls={rel: f.url for rel, f in REGISTRY.items()},
        retry_if_failed=1,
        allow_updates=False,
    )


def _what_to_do(relpath: str, cache: Path) -> str:
    url = REGISTRY[relpath].url
    return (
        f"What to do: connect to the internet and run again (the file is downloaded once "
        f"from {url}), or copy a correct copy of the file to {cache / relpath}, or set "
        f"the environment variable {DATA_ENV_VAR} to a folder that holds it under the "
        f"relative path {relpath!r} (currently {DATA_ENV_VAR}="
        f"{os.environ.get(DATA_ENV_VAR, '<not set>')})."
    )


def fetch_file(relpath: str, *, downloader: Callable | None = None) -> Path:
    """Return the local path of a registry file, downloading it once if needed.

    Parameters
    ----------
    relpath : str
        A key of :data:`REGISTRY`, e.g. ``"youtube_spam/Youtube01-Psy.csv"``.
    downloader : callable, optional
        A pooch downloader (used by the tests to simulate network failures).

    Raises
    ------
    ValueError
        If ``relpath`` is not in the registry.
    DataChecksumError
        If a cached copy does not match its pinned SHA-256. The file is left untouched
        (nothing is lost); delete or replace it.
    DataUnavailableError
        If the file is missing and could not be downloaded.

    Examples
    --------
    >>> path = fetch_file("letter_recognition/letter-recognition.names")  # doctest: +SKIP
    """
    if not isinstance(relpath, str) or relpath not in REGISTRY:
        known = ", ".join(sorted(REGISTRY))
        raise ValueError(f"relpath {relpath!r} is not in the data registry. Known files: {known}.")
    entry = REGISTRY[relpath]
    cache = data_dir()
    path = cache / relpath
    if path.exists():
        actual = pooch.file_hash(str(path), alg="sha256")
        if actual != entry.sha256:
            raise DataChecksumError(
                f"The data file {path} is corrupt or has been modified: its SHA-256 is "
                f"{actual}, but the course pins {entry.sha256}. It was left as it is. "
                f"Delete it to download a fresh copy from {entry.url}, or point "
                f"{DATA_ENV_VAR} at a folder with the correct file."
            )
        return path
    if path.is_dir():
        raise DataUnavailableError(
            f"{path} is a folder, but the data file {relpath!r} should be there: remove the "
            "folder and run again (the file is then downloaded once)."
        )
    if cache.exists() and not cache.is_dir():
        raise DataUnavailableError(
            f"The data folder {cache} is a file: set {DATA_ENV_VAR} to a folder."
        )
    created = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    try:
        fetched = _make_pooch(cache).fetch(relpath, downloader=downloader)
    except ValueError as exc:  # pooch: the downloaded content has the wrong hash
        _remove_empty(created)
        raise DataChecksumError(
            f"Downloaded {relpath!r} from {entry.url}, but its SHA-256 does not match the "
            f"pinned {entry.sha256}; the download was discarded. The source may have "
            f"changed. {_what_to_do(relpath, cache)}"
        ) from exc
    except Exception as exc:  # network errors come in many types
        _remove_empty(created)  # a failed download leaves no empty folder behind
        raise DataUnavailableError(
            f"The data file {relpath!r} is not in the cache folder {cache} and could not "
            f"be downloaded from {entry.url} ({type(exc).__name__}: {exc}). "
            f"{_what_to_do(relpath, cache)}"
        ) from exc
    return Path(fetched)


def _remove_empty(folders: list[Path]) -> None:
    """Remove the folders a failed download created, deepest first, if still empty."""
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def cache_status() -> pd.DataFrame:
    """One row per registry file: whether it is cached and valid in :func:`data_dir`.

    Columns: ``file``, ``dataset``, ``status`` (``"cached"``, ``"missing"`` or
    ``"checksum mismatch"``), ``path`` and ``url``.
    """
    cache = data_dir()
    rows = []
    for rel, entry in REGISTRY.items():
        path = cache / rel
        if path.is_dir():
            status = "a folder, not a file"
        elif not path.exists():
            status = "missing"
        elif pooch.file_hash(str(path), alg="sha256") != entry.sha256:
            status = "checksum mismatch"
        else:
            status = "cached"
        rows.append(
            {
                "file": rel,
                "dataset": entry.dataset,
                "status": status,
                "path": str(path),
                "url": entry.url,
            }
        )
    return pd.DataFrame(rows)


def load_youtube_spam() -> pd.DataFrame:
    """The UCI YouTube Spam Collection: 1,956 comments from five music videos.

    Returns
    -------
    pandas.DataFrame
        One row per comment, in file order, with columns ``video`` (1 Psy, 2 Katy Perry,
        3 LMFAO, 4 Eminem, 5 Shakira), ``comment_id``, ``author``, ``date`` (a timestamp;
        missing, ``NaT``, for 245 comments of the Eminem video, as in the source),
        ``text`` and ``label`` (1 = spam, 0 = ham).

    Notes
    -----
    Source: Alberto, Lochter & Almeida, "TubeSpam: Comment Spam Filtering on YouTube",
    ICMLA 2015; UCI ML Repository, https://doi.org/10.24432/C58885. License: CC BY 4.0.
    Taught in: notebooks/04_weak_supervision.ipynb.

    Examples
    --------
    >>> df = load_youtube_spam()  # doctest: +SKIP
    >>> df.shape  # doctest: +SKIP
    (1956, 6)
    """
    frames = []
    for video, name in enumerate(_YOUTUBE_FILES, start=1):
        raw = pd.read_csv(fetch_file(f"youtube_spam/{name}"))
        frames.append(
            pd.DataFrame(
                {
                    "video": video,
                    "comment_id": raw["COMMENT_ID"].astype(str),
                    "author": raw["AUTHOR"].astype(str),
                    "date": pd.to_datetime(raw["DATE"], format="ISO8601"),
                    "text": raw["CONTENT"].astype(str),
                    "label": raw["CLASS"].astype(np.int64),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


class YouTubeSpamSplits(NamedTuple):
    """The four splits of :func:`youtube_spam_splits` (unpack as ``train, dev, valid, test``)."""

    train: pd.DataFrame
    dev: pd.DataFrame
    valid: pd.DataFrame
    test: pd.DataFrame


#: The seed of every draw in the Snorkel spam tutorial's split.
_SNORKEL_SEED = 123


def youtube_spam_splits(*, train_labels: bool = False) -> YouTubeSpamSplits:
    """The YouTube Spam Collection split exactly as Snorkel's spam tutorial splits it.

    The split makes results comparable with published numbers (the Snorkel tutorial and
    the WRENCH benchmark use it):

    * **train**: the 1,586 comments of videos 1-4 (Psy, Katy Perry, LMFAO, Eminem), each
      video shuffled with ``random_state=123``. It plays the unlabeled training set: its
      ``label`` column is ``-1`` unless ``train_labels=True``.
    * **dev**: 100 comments sampled from ``train`` (``random_state=123``), with their
      labels: the small labeled set on which labeling functions are developed. They
      are *also* rows of ``train``, as in the tutorial.
    * **valid** (120) and **test** (250): the 370 comments of video 5 (Shakira), split
      stratified by label with ``train_test_split(test_size=250, random_state=123)``.

    Parameters
    ----------
    train_labels : bool, default False
        Keep the gold labels of the training split. Weak supervision never uses them;
        they serve to measure what it loses (the "upper bound" of an end model trained
        on gold labels, or the accuracy of a label model on the training split).

    Returns
    -------
    YouTubeSpamSplits
        A named tuple ``(train, dev, valid, test)`` of DataFrames with the columns of
        :func:`load_youtube_spam`, in the tutorial's row order. The index is the row
        number in :func:`load_youtube_spam`, so ``train.loc[dev.index]`` are the dev rows.

    Notes
    -----
    Reproduces ``load_spam_dataset`` of snorkel-tutorials (``spam/utils.py``): per-video
    ``DataFrame.sample(frac=1, random_state=123)``, ``df_train.sample(100,
    random_state=123)`` and scikit-learn's ``train_test_split``, which draw from NumPy's
    legacy ``RandomState`` and are therefore stable across versions. The tutorial drops
    the ``comment_id`` column; it is kept here. Source, license and citation: see
    :func:`load_youtube_spam`. Taught in: notebooks/04_weak_supervision.ipynb.

    Examples
    --------
    >>> train, dev, valid, test = youtube_spam_splits()  # doctest: +SKIP
    >>> [len(s) for s in (train, dev, valid, test)]  # doctest: +SKIP
    [1586, 100, 120, 250]
    """
    from sklearn.model_selection import train_test_split

    comments = load_youtube_spam()
    videos = [
        part.sample(frac=1, random_state=_SNORKEL_SEED)
        for _, part in comments.groupby("video", sort=True)
    ]
    train = pd.concat(videos[:4])
    dev = train.sample(100, random_state=_SNORKEL_SEED)
    valid, test = train_test_split(
        videos[4], test_size=250, random_state=_SNORKEL_SEED, stratify=videos[4]["label"]
    )
    if not train_labels:
        train = train.assign(label=np.int64(-1))
    return YouTubeSpamSplits(train, dev.copy(), valid.copy(), test.copy())


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


def load_letters(*, as_frame: bool = False) -> tuple[np.ndarray | pd.DataFrame, np.ndarray]:
    """UCI Letter Recognition: 20,000 letter images as 16 integer features, 26 classes.

    Parameters
    ----------
    as_frame : bool, default False
        Return ``X`` as a DataFrame with the feature names of :data:`LETTER_FEATURES`.

    Returns
    -------
    X : numpy.ndarray of shape (20000, 16), int64 (or a DataFrame)
        Features scaled by the authors to integers 0..15.
    y : numpy.ndarray of shape (20000,), int64
        Class indices 0..25; ``LETTER_NAMES[y]`` gives the letter.

    Notes
    -----
    Source: Slate (1991), UCI ML Repository, https://doi.org/10.24432/C5ZP40; Frey &
    Slate, Machine Learning 6(2), 1991. License: CC BY 4.0.
    Taught in: notebooks/02_confident_learning.ipynb.
    """
    raw = pd.read_csv(
        fetch_file("letter_recognition/letter-recognition.data"),
        header=None,
        names=["letter", *LETTER_FEATURES],
    )
    y = raw["letter"].map({c: i for i, c in enumerate(LETTER_NAMES)}).to_numpy(np.int64)
    features = raw[LETTER_FEATURES].astype(np.int64)
    return (features if as_frame else features.to_numpy()), y


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled handwritten digits: 1,797 8×8 images, 10 classes (offline).

    Returns ``(X, y)`` with ``X`` of shape (1797, 64), pixel intensities 0..16, and
    ``y`` the digit. Reshape a row with ``x.reshape(8, 8)`` to see the image.

    Source: UCI Optical Recognition of Handwritten Digits (Alpaydin & Kaynak, 1998),
    CC BY 4.0, bundled with scikit-learn. Taught in:
    notebooks/01_model_vs_data_centric.ipynb.
    """
    from sklearn.datasets import load_digits as _load

    X, y = _load(return_X_y=True)
    return X, y.astype(np.int64)


def load_breast_cancer() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled Breast Cancer Wisconsin (diagnostic): 569 × 30, binary.

    Returns ``(X, y)`` with ``y = 1`` for benign and ``0`` for malignant (scikit-learn's
    coding). Source: Wolberg, Street, Mangasarian (1995), UCI ML Repository, CC BY 4.0,
    bundled with scikit-learn. Taught in: notebooks/01_model_vs_data_centric.ipynb.
    """
    from sklearn.datasets import load_breast_cancer as _load

    X, y = _load(return_X_y=True)
    return X, y.astype(np.int64)


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


def _check_name(name: object, choices: dict, what: str, arg: str = "name") -> str:
    if not isinstance(name, str):
        raise TypeError(
            f"{arg} must be a string naming a {what}, one of {sorted(choices)}; got "
            f"{type(name).__name__}."
        )
    if name not in choices:
        raise ValueError(f"Unknown {what} {arg}={name!r}; choose one of {sorted(choices)}.")
    return name


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


def _read_idx(path: Path, magic: int) -> np.ndarray:
    """Read a gzipped IDX file (the MNIST format): big-endian header, then uint8 data."""
    import gzip

    raw = gzip.decompress(path.read_bytes())
    n_dims = raw[3]
    header = np.frombuffer(raw, dtype=">u4", count=1 + n_dims)
    if int(header[0]) != magic:
        raise ValueError(f"{path} is not an IDX file with magic number {magic}.")
    shape = tuple(int(d) for d in header[1:])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 * (1 + n_dims)).reshape(shape)


def load_mnist(split: str = "test") -> tuple[np.ndarray, np.ndarray]:
    """The MNIST test set: 10,000 handwritten digits as 28×28 grey-level images.

    Parameters
    ----------
    split : {"test"}
        Only the test set is in the course's registry (it is the set whose label
        errors :func:`load_label_errors` describes).

    Returns
    -------
    images : numpy.ndarray of shape (10000, 28, 28), uint8
        Pixel intensities 0..255 (0 is the background).
    labels : numpy.ndarray of shape (10000,), int64
        The digit, in the order of the original test file; equal element-wise to the
        labels of ``load_label_errors("mnist")``.

    Notes
    -----
    Source: the original LeCun files ``t10k-images-idx3-ubyte.gz`` and
    ``t10k-labels-idx1-ubyte.gz`` (pinned copies, see :data:`REGISTRY`). License: none
    stated by the MNIST page; redistributors often list CC BY-SA 3.0. Citation: LeCun,
    Y., Cortes, C., Burges, C.J.C., The MNIST database of handwritten digits; LeCun,
    Bottou, Bengio & Haffner (1998), Gradient-based learning applied to document
    recognition, Proc. IEEE 86(11). Taught in: notebooks/02_confident_learning.ipynb
    (section 10), notebooks/03_learning_with_noisy_labels.ipynb.

    Examples
    --------
    >>> images, labels = load_mnist()  # doctest: +SKIP
    >>> images.shape  # doctest: +SKIP
    (10000, 28, 28)
    """
    if split != "test":
        raise ValueError(
            f"split must be 'test', got {split!r}: only MNIST's 10,000 test images are in "
            "the course's registry (the 60,000 training images are not). Split them "
            "yourself into training and test parts."
        )
    images = _read_idx(fetch_file("mnist/t10k-images-idx3-ubyte.gz"), 2051)
    labels = _read_idx(fetch_file("mnist/t10k-labels-idx1-ubyte.gz"), 2049)
    return images.copy(), labels.astype(np.int64)  # a writable copy, not the file's bytes
