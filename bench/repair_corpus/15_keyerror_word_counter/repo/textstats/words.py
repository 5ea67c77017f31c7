"""Word frequencies for search-query analysis."""

from __future__ import annotations

import re

STOPWORDS = frozenset({"the", "a", "an", "and", "of", "to", "in"})


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens (apostrophes kept)."""
    return re.findall(r"[a-z']+", text.lower())


def word_counts(text: str) -> dict[str, int]:
    """Occurrences of each non-stopword token."""
    counts: dict[str, int] = {}
    for word in tokenize(text):
        if word in STOPWORDS:
            continue
        counts[word] += 1
    return counts


def top_words(text: str, n: int = 3) -> list[str]:
    """The n most frequent non-stopwords, ties broken alphabetically."""
    counts = word_counts(text)
    return sorted(counts, key=lambda w: (-counts[w], w))[:n]
