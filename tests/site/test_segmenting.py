"""jieba remembers its segmentation during a build: the same words, each run cut once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import jieba
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from material.plugins.search.plugin import SearchIndex

from brmkb.site import segmenting
from tests.site.conftest import hook_module

#: Words of the records and their neighbours, so that random texts hit the dictionary, the
#: user dictionary and the HMM for unknown words alike.
WORDS = ["服务评审", "会议纪要", "满意度", "投诉", "合同变更", "供应商", "华信", "智联", "的", "和"]
TEXTS = st.lists(
    st.one_of(st.sampled_from(WORDS), st.text("评审纪要客户部门张伟李娜，。 ab1", max_size=6)),
    max_size=12,
).map("".join)


@pytest.fixture(autouse=True)
def _jieba_as_it_was() -> Iterator[None]:
    original = jieba.cut
    yield
    jieba.cut = original


@settings(max_examples=200, deadline=None)
@given(text=TEXTS, cut_all=st.booleans(), hmm=st.booleans(), as_bytes=st.booleans())
def test_remembered_words_are_jiebas_words(text, cut_all, hmm, as_bytes) -> None:
    sentence = text.encode("utf-8") if as_bytes else text
    expected = list(jieba.dt.cut(sentence, cut_all=cut_all, HMM=hmm))
    remembered = segmenting.Remembered(jieba.dt.cut)
    first = list(remembered(sentence, cut_all=cut_all, HMM=hmm))
    again = list(remembered(sentence, cut_all, hmm))
    assert first == again == expected


def test_each_distinct_call_is_cut_once() -> None:
    calls: list[tuple[object, ...]] = []

    def cut(*args: object) -> Iterator[str]:
        calls.append(args)
        yield from ("服务", "评审")

    remembered = segmenting.Remembered(cut)
    for _ in range(3):
        assert list(remembered("服务评审")) == ["服务", "评审"]
    assert list(remembered("服务评审", HMM=False)) == ["服务", "评审"]
    assert calls == [("服务评审", False, True, False), ("服务评审", False, False, False)]


def test_remember_and_forget_put_jieba_back() -> None:
    original = jieba.cut
    segmenting.remember()
    assert isinstance(jieba.cut, segmenting.Remembered)
    assert jieba.cut.original is original
    list(jieba.cut("服务评审"))
    segmenting.remember()  # a second build in the same process: nothing from the first
    assert jieba.cut.original is original and jieba.cut.memory == {}
    segmenting.forget()
    assert jieba.cut is original
    segmenting.forget()
    assert jieba.cut is original


def test_materials_search_segments_through_the_memory() -> None:
    """Material cuts a page's text with ``jieba.cut``: the memory is used, the words the same."""
    text = "服务评审会议纪要：客户满意度 92 分。服务评审会议纪要"
    index = SearchIndex(separator=r"[\s\u200b]+")
    expected = index._segment_chinese(text)
    segmenting.remember()
    assert index._segment_chinese(text) == expected
    assert index._segment_chinese(text) == expected
    assert len(jieba.cut.memory) == 3  # three distinct runs of Han characters


@pytest.mark.parametrize("ending", ["post_build", "build_error"])
def test_the_hook_remembers_from_the_first_page_to_the_end_of_the_build(
    ending: str, tmp_path: Path
) -> None:
    hook, original = hook_module("search"), jieba.cut
    config = SimpleNamespace(site_dir=str(tmp_path))  # no index written: only the memory to drop
    hook.on_pre_build(config)
    assert isinstance(jieba.cut, segmenting.Remembered)
    if ending == "post_build":
        hook.on_post_build(config)
    else:
        hook.on_build_error(RuntimeError("build failed"))
    assert jieba.cut is original
