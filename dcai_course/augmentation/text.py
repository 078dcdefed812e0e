"""EDA, easy data augmentation for text (Wei & Zou 2019): four word-level operations.

* synonym replacement: replace ``n`` words that have a synonym by a random synonym;
* random insertion: insert a synonym of a random word at a random position, ``n`` times;
* random swap: swap two random words, ``n`` times;
* random deletion: delete each word with probability ``p`` (never every word).

Synonym replacement needs a word list. Wei & Zou use WordNet, which is a download (NLTK
data); the course works offline, so :data:`SYNONYMS` is a small hand-written list of
synonym sets for words common in short social-media comments (both spam and not).
Every operation lower-cases and splits on whitespace, as EDA does.

Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import SeedLike, as_rng, check_count, check_float, check_int

__all__ = [
    "SYNONYMS",
    "eda",
    "random_deletion",
    "random_insertion",
    "random_swap",
    "synonym_replacement",
]

_SETS = [
    ("good", "great", "nice", "fine", "cool"),
    ("bad", "awful", "terrible", "poor"),
    ("love", "adore", "like", "enjoy"),
    ("song", "track", "tune"),
    ("video", "clip", "vid"),
    ("music", "sound"),
    ("check", "see", "look", "view"),
    ("watch", "see", "view"),
    ("channel", "page"),
    ("subscribe", "follow", "sub"),
    ("please", "pls", "plz"),
    ("free", "gratis"),
    ("money", "cash"),
    ("make", "earn", "get"),
    ("win", "get", "gain"),
    ("click", "press", "tap"),
    ("website", "site", "webpage"),
    ("new", "fresh", "latest"),
    ("best", "top", "finest"),
    ("beautiful", "pretty", "lovely"),
    ("amazing", "awesome", "incredible", "wonderful"),
    ("funny", "hilarious"),
    ("people", "folks", "guys"),
    ("help", "support", "assist"),
    ("thanks", "thank", "thx"),
    ("really", "truly", "very"),
    ("big", "huge", "large"),
    ("fast", "quick", "rapid"),
    ("start", "begin"),
    ("world", "earth", "globe"),
    ("year", "yr"),
    ("friend", "buddy", "pal"),
    ("girl", "woman", "lady"),
    ("boy", "man", "guy"),
    ("dance", "move"),
    ("voice", "vocals"),
    ("old", "former"),
    ("hate", "dislike", "detest"),
    ("happy", "glad", "joyful"),
    ("want", "wish", "need"),
]

#: The offline synonym list: each word maps to the other words of its synonym sets.
SYNONYMS: dict[str, tuple[str, ...]] = {}
for _group in _SETS:
    for _word in _group:
        _others = [w for w in _group if w != _word]
        SYNONYMS[_word] = tuple(dict.fromkeys(SYNONYMS.get(_word, ()) + tuple(_others)))
del _group, _word, _others


def _words(text: Any) -> list[str]:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__} {text!r:.60}.")
    return text.lower().split()


def synonym_replacement(text: str, n: int = 1, seed: SeedLike = None) -> str:
    """Replace up to ``n`` distinct words that have a synonym in :data:`SYNONYMS`.

    Examples
    --------
    >>> synonym_replacement("i love this song", 2, seed=0) != "i love this song"
    True

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    words = _words(text)
    n = check_int(n, "n", minimum=0)
    rng = as_rng(seed)
    candidates = [i for i, w in enumerate(words) if w in SYNONYMS]
    for i in rng.permutation(candidates)[:n] if candidates else []:
        options = SYNONYMS[words[i]]
        words[i] = options[int(rng.integers(len(options)))]
    return " ".join(words)


def random_insertion(text: str, n: int = 1, seed: SeedLike = None) -> str:
    """Insert, ``n`` times, a synonym of a random word (that has one) at a random place.

    Examples
    --------
    >>> len(random_insertion("great song", 1, seed=0).split())
    3

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    words = _words(text)
    n = check_int(n, "n", minimum=0)
    rng = as_rng(seed)
    for _ in range(n):
        candidates = [w for w in words if w in SYNONYMS]
        if not candidates:
            break
        options = SYNONYMS[candidates[int(rng.integers(len(candidates)))]]
        words.insert(int(rng.integers(len(words) + 1)), options[int(rng.integers(len(options)))])
    return " ".join(words)


def random_swap(text: str, n: int = 1, seed: SeedLike = None) -> str:
    """Swap the words at two random positions, ``n`` times.

    Examples
    --------
    >>> sorted(random_swap("a b c d", 2, seed=0).split())
    ['a', 'b', 'c', 'd']

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    words = _words(text)
    n = check_int(n, "n", minimum=0)
    rng = as_rng(seed)
    if len(words) >= 2:
        for _ in range(n):
            i, j = rng.choice(len(words), 2, replace=False)
            words[i], words[j] = words[j], words[i]
    return " ".join(words)


def random_deletion(text: str, p: float = 0.1, seed: SeedLike = None) -> str:
    """Delete each word with probability ``p``; if all would go, keep one at random.

    Examples
    --------
    >>> random_deletion("one two three", 1.0, seed=0) in {"one", "two", "three"}
    True

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    words = _words(text)
    p = check_float(p, "p", minimum=0.0, maximum=1.0, percent_hint=True)
    rng = as_rng(seed)
    if not words:
        return ""
    keep = rng.random(len(words)) >= p
    if not keep.any():
        return words[int(rng.integers(len(words)))]
    return " ".join(w for w, k in zip(words, keep, strict=True) if k)


def eda(texts: Any, labels: Any, n_aug: int = 4, alpha: float = 0.1, seed: SeedLike = None):
    """``n_aug`` EDA copies of each text (the four operations in turn), with its label.

    Each copy applies one operation, cycling synonym replacement, insertion, swap and
    deletion, with ``n = max(1, round(alpha * number of words))`` changes (or deletion
    probability ``alpha``), as in Wei & Zou's ``eda`` function.

    Returns
    -------
    (texts_out, labels_out) : list of str, numpy.ndarray
        The originals followed by their copies (copies of text ``i`` are at
        ``len(texts) + i * n_aug + k``); ``labels_out`` repeats each label.

    Examples
    --------
    >>> out, y = eda(["check my channel"], [1], n_aug=2, seed=0)
    >>> len(out), y.tolist()
    (3, [1, 1, 1])

    Taught in: notebooks/12_augmentation_and_synthetic_data.ipynb.
    """
    texts = list(texts) if not isinstance(texts, str) else None
    if texts is None:
        raise TypeError("texts must be a sequence of strings, not one string; wrap it: [text].")
    y = np.asarray(labels)
    if y.ndim != 1 or len(y) != len(texts):
        raise ValueError(
            f"labels must hold one label per text ({len(texts)}), got shape {y.shape}."
        )
    n_aug = check_count(n_aug, "n_aug", minimum=0)
    alpha = check_float(alpha, "alpha", minimum=0.0, maximum=1.0, percent_hint=True)
    rng = as_rng(seed)
    ops = (synonym_replacement, random_insertion, random_swap)
    out = [" ".join(_words(t)) for t in texts]
    for text in texts:
        n_words = len(_words(text))
        n = max(1, round(alpha * n_words))
        for k in range(n_aug):
            op = k % 4
            if op == 3:
                out.append(random_deletion(text, alpha, seed=rng))
            else:
                out.append(ops[op](text, n, seed=rng))
    return out, np.concatenate([y, np.repeat(y, n_aug)])
