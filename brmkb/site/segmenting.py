"""jieba's segmentation of a run of Chinese text, computed once per build.

Material's search plugin cuts every run of Han characters of every page section into words
with ``jieba.cut``. In a knowledge base most runs come back on page after page: the field
labels of the record card, the headings the procedure prescribes, the names of people,
customers, suppliers and services, the terms the hooks add for search. jieba works each one
out from scratch (a dictionary lookup of every substring, a dynamic programme, an HMM for
unknown words), a tenth of the build's time. Its answer depends only on the text, the
options and the dictionaries, which are loaded before the pages (the search plugin's
``on_config``) and do not change during a build, so the hook remembers each answer from the
first page's build on (``remember``) and forgets them when the build ends (``forget``): the
index is the same, word for word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

try:
    import jieba
except ImportError:  # Material's search then indexes without segmenting: nothing to remember
    jieba = None

Cut = Callable[..., Iterable[str]]


class Remembered:
    """``jieba.cut`` with a memory: the same words for the same call, computed once."""

    def __init__(self, cut: Cut) -> None:
        self.original = cut
        self.memory: dict[tuple[object, ...], tuple[str, ...]] = {}

    def __call__(
        self,
        sentence: str | bytes,
        cut_all: bool = False,
        HMM: bool = True,  # noqa: N803 (jieba's own keyword)
        use_paddle: bool = False,
    ) -> Iterator[str]:
        key = (sentence, cut_all, HMM, use_paddle)
        words = self.memory.get(key)
        if words is None:
            words = self.memory[key] = tuple(self.original(sentence, cut_all, HMM, use_paddle))
        return iter(words)


def remember() -> None:
    """From now until ``forget()``, ``jieba.cut`` answers a call it has answered from memory
    (an empty memory if it already had one: the dictionaries may have changed since)."""
    if jieba is None:
        return
    if isinstance(jieba.cut, Remembered):
        jieba.cut.memory.clear()
    else:
        jieba.cut = Remembered(jieba.cut)


def forget() -> None:
    """``jieba.cut`` as it was before ``remember()``, and the memory's space given back."""
    if jieba is not None and isinstance(jieba.cut, Remembered):
        jieba.cut = jieba.cut.original
