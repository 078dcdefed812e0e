"""Images: the MNIST test set."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .registry import fetch_file


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
