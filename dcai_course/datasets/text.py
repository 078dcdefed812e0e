"""Text data: the YouTube Spam Collection and the Snorkel tutorial's splits of it."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from .._validation import check_bool
from .registry import _YOUTUBE_FILES, fetch_file


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

    train_labels = check_bool(train_labels, "train_labels")
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
