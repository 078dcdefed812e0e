"""The data registry: pinned files, the cache folder, checksum-verified fetching."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pooch

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
    "none stated by the source or by the MNIST page (yann.lecun.com/exdb/mnist); "
    "redistributors often list CC BY-SA 3.0"
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


REGISTRY.update(_label_errors_entries())


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


def _check_name(name: object, choices: dict, what: str, arg: str = "name") -> str:
    if not isinstance(name, str):
        raise TypeError(
            f"{arg} must be a string naming a {what}, one of {sorted(choices)}; got "
            f"{type(name).__name__}."
        )
    if name not in choices:
        raise ValueError(f"Unknown {what} {arg}={name!r}; choose one of {sorted(choices)}.")
    return name


_UCI_LICENSE = "CC BY 4.0"
_ADULT_BASE = (
    "https://raw.githubusercontent.com/fleandrei/Cencus_income_data_analysis/"
    "f270b83a80f591a4563b562f029f0863a22f0bae/"
)
_ADULT_CITATION = (
    "Becker, B., Kohavi, R. (1996). Adult [Dataset]. UCI Machine Learning Repository. "
    "https://doi.org/10.24432/C5XW20; Kohavi, R. (1996). Scaling Up the Accuracy of "
    "Naive-Bayes Classifiers: a Decision-Tree Hybrid. KDD-96"
)
_ADULT_FILES = {
    "adult.data": "5b00264637dbfec36bdeaab5676b0b309ff9eb788d63554ca0a249491c86603d",
    "adult.test": "a2a9044bc167a35b2361efbabec64e89d69ce82d9790d2980119aac5fd7e9c05",
    "adult.names": "c248284c0b5de30c9e1958d6cdd168a34a654758b620e68f46aefa83fc0a576a",
}
_WINE_BASE = (
    "https://raw.githubusercontent.com/choux130/Wine-Quality-Dataset/"
    "2ebd7af9f22df305af37da683624431faeed0d08/"
)
_WINE_NAMES_URL = (
    "https://raw.githubusercontent.com/MallisR/wine-quality/"
    "3397a2ceb8983f1fb666143f922bd51d90e7680c/winequality.names"
)
_WINE_CITATION = (
    "Cortez, P., Cerdeira, A., Almeida, F., Matos, T., Reis, J. (2009). Modeling wine "
    "preferences by data mining from physicochemical properties. Decision Support Systems "
    "47(4):547-553, doi:10.1016/j.dss.2009.05.016; Wine Quality [Dataset], UCI ML "
    "Repository, https://doi.org/10.24432/C56S3T"
)
_WINE_FILES = {
    "winequality-red.csv": "4a402cf041b025d4566d954c3b9ba8635a3a8a01e039005d97d6a710278cf05e",
    "winequality-white.csv": "76c3f809815c17c07212622f776311faeb31e87610d52c26d87d6e361b169836",
}

REGISTRY.update(
    {
        f"adult/{name}": DataFile(_ADULT_BASE + name, sha, "adult", _UCI_LICENSE, _ADULT_CITATION)
        for name, sha in _ADULT_FILES.items()
    }
)
REGISTRY.update(
    {
        f"wine_quality/{name}": DataFile(
            _WINE_BASE + name, sha, "wine_quality", _UCI_LICENSE, _WINE_CITATION
        )
        for name, sha in _WINE_FILES.items()
    }
)
REGISTRY["wine_quality/winequality.names"] = DataFile(
    _WINE_NAMES_URL,
    "15d215e73b39105952380fd487e4ce1bf5a6b83a425abb285c2ec55193d3ca92",
    "wine_quality",
    _UCI_LICENSE,
    _WINE_CITATION,
)
