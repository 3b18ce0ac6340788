"""Who is who: cluster the voice vectors of a whole recording into speakers, choosing the count when it is not given.

Vectors are smoothed over neighbouring windows of a region, the recording's mean is subtracted for contrast, and
average-linkage agglomerative clustering on cosine distance runs over at most MAX_POINTS points (consecutive windows
are pooled first, so a two-hour recording clusters in flat memory); every window then takes its nearest centroid.
The count: from `min` upwards, one more speaker is taken while every pair of clusters still differs in raw voice
(centroid cosine below SAME_VOICE) and every cluster holds at least MIN_SHARE of the windows; the first count that
fails ends the search. Two similar voices (centroids below LIKE_VOICE) still count as two speakers when they take
turns: each comes back after the other spoke, and holds the floor LIKE_TURN_SEC on average. One voice split in two
splits once, where the recording's conditions drift (every single-speaker corpus clip did), or flips at nearly every
phrase (one reader with pauses, phrases at different levels: 2-3.6 s between flips in bench/single_reader_split.py,
the real two-person sample 4.5 s); people in a conversation alternate. Past two speakers that proves
nothing (the parts of one speaker come back with that speaker), so a third voice must differ clearly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SMOOTH = 5  # windows averaged around each window, within a region
MAX_POINTS = 1200  # points the O(n^2) linkage sees at most
SAME_VOICE = 0.80  # raw centroids more alike than this are one voice
MIN_SHARE = 0.08  # a count that leaves a cluster with less of the windows than this is not taken
LIKE_VOICE = 0.94  # two voices more alike than this are one, even when they alternate
FLICKER = 2  # runs of fewer windows than this are not a turn
LIKE_TURN_SEC = 3.8  # two alike voices must hold their turns this long on average (one reader's phrases flip faster)
HOP_SEC = 0.5  # seconds between windows when the caller does not say


@dataclass
class Clustering:
    labels: np.ndarray  # one per window, 0..k-1, numbered by first appearance
    count: int
    centroids: np.ndarray  # raw (not mean-subtracted) voice centroid of each speaker, normalised
    confidence: float  # 1 - the highest centroid similarity between two speakers (1.0 with one speaker)


def normalise(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-9)


def smooth(vectors: np.ndarray, regions: np.ndarray) -> np.ndarray:
    """Average each vector with its neighbours (SMOOTH wide) inside the same region, then normalise."""
    out = np.empty_like(vectors)
    half = SMOOTH // 2
    for region in np.unique(regions):
        idx = np.flatnonzero(regions == region)
        block = vectors[idx]
        sums = np.cumsum(np.vstack([np.zeros((1, block.shape[1]), block.dtype), block]), axis=0)
        lo = np.clip(np.arange(len(idx)) - half, 0, len(idx))
        hi = np.clip(np.arange(len(idx)) + half + 1, 0, len(idx))
        out[idx] = (sums[hi] - sums[lo]) / (hi - lo)[:, None]
    return normalise(out)


def pool(points: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """(pooled points, the pool of each input row): consecutive rows are averaged so at most `limit` remain."""
    size = max(1, int(np.ceil(len(points) / limit)))
    owner = np.arange(len(points)) // size
    pooled = np.stack([points[owner == k].mean(axis=0) for k in range(owner[-1] + 1)])
    return normalise(pooled), owner


def average_linkage(points: np.ndarray) -> list[tuple[int, int, int]]:
    """Merge order of average-linkage clustering on cosine distance: (cluster a, cluster b, size after)."""
    n = len(points)
    dist = 1.0 - points @ points.T
    np.fill_diagonal(dist, np.inf)
    sizes = np.ones(n)
    alive = np.ones(n, dtype=bool)
    merges: list[tuple[int, int, int]] = []
    for _ in range(n - 1):
        flat = int(np.argmin(dist))
        a, b = divmod(flat, n)
        a, b = min(a, b), max(a, b)
        merged = (dist[a] * sizes[a] + dist[b] * sizes[b]) / (sizes[a] + sizes[b])
        dist[a, :] = merged
        dist[:, a] = merged
        dist[a, a] = np.inf
        dist[b, :] = np.inf
        dist[:, b] = np.inf
        sizes[a] += sizes[b]
        alive[b] = False
        merges.append((a, b, int(sizes[a])))
    return merges


def cut(merges: list[tuple[int, int, int]], n: int, k: int) -> np.ndarray:
    """Labels of the n points when the merging stops at k clusters."""
    parent = np.arange(n)
    for a, b, _ in merges[: n - k]:
        parent[parent == b] = a
    _, labels = np.unique(parent, return_inverse=True)
    return labels


def centroids_of(vectors: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    return normalise(np.stack([vectors[labels == c].mean(axis=0) for c in range(k)]))


def relabel_by_appearance(labels: np.ndarray) -> np.ndarray:
    order: dict[int, int] = {}
    for label in labels:
        order.setdefault(int(label), len(order))
    return np.asarray([order[int(label)] for label in labels], dtype=np.int64)


def take_turns(labels: np.ndarray) -> bool:
    """Whether every label comes back after another one: each holds two or more turns of FLICKER windows or more."""
    turns: list[int] = []
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            if i - start >= FLICKER and (not turns or turns[-1] != labels[start]):
                turns.append(int(labels[start]))
            start = i
    return all(turns.count(label) >= 2 for label in np.unique(labels))


def mean_turn(labels: np.ndarray, hop_sec: float) -> float:
    """Seconds a label holds on average before another one takes over (windows `hop_sec` apart, in time order)."""
    runs = 1 + int(np.count_nonzero(labels[1:] != labels[:-1]))
    return len(labels) * hop_sec / runs


def distinct(labels: np.ndarray, similar: float, hop_sec: float = HOP_SEC) -> bool:
    """Whether clusters whose most alike centroids have cosine `similar` are different speakers."""
    if similar < SAME_VOICE:
        return True
    return (
        int(labels.max()) == 1
        and similar < LIKE_VOICE
        and take_turns(labels)
        and mean_turn(labels, hop_sec) >= LIKE_TURN_SEC
    )


def cluster_speakers(
    vectors: np.ndarray, regions: np.ndarray, min_count: int, max_count: int, hop_sec: float = HOP_SEC
) -> Clustering:
    """Label each window (`vectors` in time order, `hop_sec` apart) with a speaker; the count is chosen in
    [min_count, max_count]."""
    n = len(vectors)
    if n == 0:
        return Clustering(np.zeros(0, dtype=np.int64), 0, np.zeros((0, vectors.shape[1])), 1.0)
    raw = smooth(vectors, regions)
    contrast = normalise(raw - raw.mean(axis=0))
    points, owner = pool(contrast, MAX_POINTS)
    merges = average_linkage(points)
    top = min(max_count, len(points))
    best = None
    for k in range(max(1, min(min_count, top)), top + 1):
        labels = _assign(contrast, cut(merges, len(points), k)[owner], k)
        _, labels = np.unique(labels, return_inverse=True)
        found = int(labels.max()) + 1
        cents = centroids_of(raw, labels, found)
        similar = _max_similarity(cents)
        share = np.bincount(labels).min() / n
        if best is not None and (found < k or not distinct(labels, similar, hop_sec) or share < MIN_SHARE):
            break
        best = (labels, found, cents, similar)
    assert best is not None, "the first count tried is always kept"
    labels, found, cents, similar = best
    ordered = relabel_by_appearance(labels)
    mapping = {int(old): int(new) for old, new in zip(labels, ordered, strict=True)}
    cents = cents[[old for old, _ in sorted(mapping.items(), key=lambda item: item[1])]]
    return Clustering(ordered, found, cents, float(1.0 - similar) if found > 1 else 1.0)


def _assign(contrast: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Each window to its nearest cluster centroid (two refinement passes over the pooled cut)."""
    for _ in range(2):
        present = np.unique(labels)
        cents = centroids_of(contrast, np.searchsorted(present, labels), len(present))
        labels = present[np.argmax(contrast @ cents.T, axis=1)]
    return labels


def _max_similarity(centroids: np.ndarray) -> float:
    if len(centroids) < 2:
        return 0.0
    sims = centroids @ centroids.T
    np.fill_diagonal(sims, -1.0)
    return float(sims.max())
