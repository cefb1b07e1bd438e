"""The site's search worker in headless Chromium, spoken to as Material's page speaks to it.

A small index in Material's format goes in with SETUP; each QUERY's RESULT is read back.
Words are separated by U+200B as jieba's segmentation leaves them in the real index.
"""

from __future__ import annotations

import json
import re

import pytest

from brmkb.site import searchworker
from tests.site.conftest import NEEDS_CHROMIUM

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]

Z = "\u200b"
CONFIG = {
    "lang": ["zh"],
    "separator": "[\\s\\u200b\\u3000\\-、。，．？！；]+",
    "pipeline": ["stemmer"],
    "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}},
}
DOCS = [
    {"location": "", "title": "首页", "text": f"<p>知识库{Z}首页</p>"},
    {
        "location": "procedure/",
        "title": f"程序{Z}文件",
        "text": f"<p>服务{Z}评审{Z}程序</p>",
        "boost": 20,
    },
    {
        "location": "procedure/#clause-3-1-3",
        "title": f"3.1.3 重大{Z}合同{Z}变更{Z}前后{Z}追加{Z}评审",
        "text": f"<p>检查{Z}规则</p>",
        "boost": 20,
    },
    {
        "location": "records/ch-1/",
        "title": f"合同{Z}变更：机柜{Z}扩容",
        "text": f"<p>机柜{Z}扩容</p>",
        "tags": ["合同变更"],
    },
    {
        "location": "records/rv-1/",
        "title": f"年度{Z}服务{Z}评审{Z}报告",
        "text": f"<p>本次{Z}评审{Z}顺利</p>",
    },
    {
        "location": "records/rv-1/#评审结论",
        "title": f"评审{Z}结论",
        "text": (
            f"<p>第一段{Z}评审</p> <ul> <li>列表{Z}无关</li> </ul> <p>第三段{Z}评审</p>"
            f" <p>第四段{Z}评审</p> <p>含 <code>评审{Z}代码</code> 的段落</p>"
        ),
    },
    {
        "location": "records/cp-1/",
        "title": f"客户{Z}投诉：打印机{Z}故障",
        "text": f"<p>投诉{Z}已{Z}关闭 &lt;script&gt;alert(1)&lt;/script&gt;</p>",
    },
    {"location": "guide/", "title": f"写作{Z}指南", "text": f"<p>如何{Z}提交{Z}评审{Z}记录</p>"},
]

#: Runs the worker the way the theme does: a dedicated Worker from the built file, SETUP,
#: then each query in turn; returns every RESULT's data.
RUN = """async ({source, index, queries}) => {
  const url = URL.createObjectURL(new Blob([source], {type: "text/javascript"}))
  const worker = new Worker(url)
  const replies = []
  const next = () => new Promise(resolve => {
    worker.onmessage = ev => resolve(ev.data)
  })
  let reply = next()
  worker.postMessage({type: 0, data: index})
  const ready = await reply
  if (ready.type !== 1) throw new Error("not ready: " + JSON.stringify(ready))
  for (const query of queries) {
    reply = next()
    worker.postMessage({type: 2, data: query})
    const message = await reply
    if (message.type !== 3) throw new Error("not a result: " + JSON.stringify(message))
    replies.push(message.data)
  }
  worker.terminate()
  return replies
}"""


@pytest.fixture(scope="module")
def ask(browser):
    """ask(*queries, docs=DOCS, suggest=True) -> the RESULT of each query."""
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    source = searchworker.worker().content.decode("utf-8")

    def run(*queries: str, docs: list[dict] = DOCS, suggest: bool = True) -> list[dict]:
        index = {"config": CONFIG, "docs": docs, "options": {"suggest": suggest}}
        return tab.evaluate(RUN, {"source": source, "index": index, "queries": list(queries)})

    yield run
    context.close()
    assert errors == []


def pages(result: dict) -> list[str]:
    """Each group's page, in result order (the group's first entry is its best match)."""
    return [group[0]["location"].split("#", 1)[0] for group in result["items"]]


def entry(result: dict, location: str) -> dict:
    return next(e for group in result["items"] for e in group if e["location"] == location)


def test_results_are_grouped_by_page_with_the_page_itself(ask) -> None:
    (result,) = ask("结论")
    assert pages(result) == ["records/rv-1/"]
    (group,) = result["items"]
    assert [e["location"] for e in group] == ["records/rv-1/#评审结论", "records/rv-1/"]
    assert group[1]["score"] == 0 and group[1]["terms"] == {}
    assert group[0]["terms"] == {"结论": True}


def test_chinese_query_is_cut_into_the_indexs_words(ask) -> None:
    """合同变更 is one tag but two words in titles: the query finds both kinds of page."""
    (result,) = ask("合同变更")
    assert set(pages(result)) == {"records/ch-1/", "procedure/"}
    assert pages(result)[0] == "records/ch-1/"  # the tag weighs most
    assert entry(result, "records/ch-1/")["terms"] == {"合同": True, "变更": True}


def test_every_word_is_a_prefix(ask) -> None:
    first, latin = ask("评", "3.1")
    assert "records/rv-1/" in pages(first) and "guide/" in pages(first)
    assert pages(latin) == ["procedure/"]


def test_title_outranks_text_and_page_boost_counts(ask) -> None:
    (result,) = ask("评审")
    ranked = pages(result)
    assert ranked.index("procedure/") < ranked.index("guide/")
    assert ranked.index("records/rv-1/") < ranked.index("guide/")


def test_required_and_excluded_words(ask) -> None:
    required, excluded, quoted, only_excluded = ask(
        "+投诉 评审", "评审 -指南", '"评审 结论"', "-评审"
    )
    assert pages(required) == ["records/cp-1/"]
    assert "guide/" not in pages(excluded) and "records/rv-1/" in pages(excluded)
    assert pages(quoted) == ["records/rv-1/"]
    assert only_excluded["items"] == []


def test_missing_words_are_reported_per_entry(ask) -> None:
    (result,) = ask("评审 投诉")
    assert entry(result, "records/cp-1/")["terms"] == {"评审": False, "投诉": True}


def test_matches_are_marked_without_touching_markup(ask) -> None:
    (result,) = ask("评审")
    title = entry(result, "records/rv-1/")["title"]
    assert title == f"年度{Z}服务{Z}<mark>评审</mark>{Z}报告"
    text = entry(result, "records/rv-1/#评审结论")["text"]
    # only the first two blocks holding a match, whole
    assert text == f"<p>第一段{Z}<mark>评审</mark></p><p>第三段{Z}<mark>评审</mark></p>"


def test_markup_in_text_and_escaped_text_stay_as_they_were(ask) -> None:
    code, escaped = ask("代码", "<script")
    text = entry(code, "records/rv-1/#评审结论")["text"]
    assert text == f"<p>含 <code>评审{Z}<mark>代码</mark></code> 的段落</p>"
    marked = entry(escaped, "records/cp-1/")["text"]
    assert "<script" not in marked
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in marked


def test_words_are_matched_as_the_index_writes_them(ask) -> None:
    """The index holds &, < and > as entities: typed as they read, they still match."""
    docs = [{"location": "a/", "title": "AT&amp;T 公司", "text": "<p>&lt;script&gt; 示例</p>"}]
    company, markup = ask("AT&T", "<script>", docs=docs)
    assert pages(company) == ["a/"] and company["items"][0][0]["terms"] == {"at&t": True}
    assert company["items"][0][0]["title"] == "<mark>AT&amp;T</mark> 公司"
    assert pages(markup) == ["a/"]
    assert company["suggest"] == ["at&t"]


def test_suggestion_completes_the_last_word_from_the_best_title(ask) -> None:
    (result,) = ask("年度 报")
    assert result["suggest"] == ["年度", "报告"]
    (plain,) = ask("年度", suggest=False)
    assert "suggest" not in plain


def test_empty_and_unknown_queries_find_nothing(ask) -> None:
    results = ask("", "   ", "龙虎", "zzz", "*", '"')
    assert [r["items"] for r in results] == [[]] * 6


def test_an_index_without_text_or_with_unclosed_markup_still_answers(ask) -> None:
    docs = [
        {"location": "a/", "title": "评审", "text": ""},
        {"location": "b/", "title": "x", "text": "<p>评审 <b"},
        {"location": "c/", "title": "y", "text": "<br>评审<hr/>评审"},
    ]
    (result,) = ask("评审", docs=docs)
    assert sorted(pages(result)) == ["a/", "b/", "c/"]


def test_sections_take_their_pages_boost(ask) -> None:
    """The site's index states a page's boost once; its sections rank with it."""
    docs = [
        {"location": "a/", "title": "甲", "text": ""},
        {"location": "a/#s", "title": "结论", "text": "<p>评审</p>"},
        {"location": "b/", "title": "乙", "text": "", "boost": 20},
        {"location": "b/#s", "title": "结论", "text": "<p>评审</p>"},
        {"location": "c/", "title": "丙", "text": "", "boost": 20},
        {"location": "c/#s", "title": "结论", "text": "<p>评审</p>", "boost": 0.5},
    ]
    (result,) = ask("评审", docs=docs)
    assert pages(result) == ["b/", "a/", "c/"]


def test_a_long_pasted_query_searches_its_first_words(ask) -> None:
    pasted, many = ask("评审结论" * 2000, " ".join(f"w{i}" for i in range(30)) + " 投诉")
    assert "records/rv-1/" in pages(pasted)
    assert entry(pasted, "records/rv-1/#评审结论")["terms"] == {"评审": True, "结论": True}
    assert many["items"] == []  # 投诉 is the 31st word: past the 24 searched


def _pieces(marked: str, original: str) -> bool:
    """Whether marked, without its <mark> tags, is original or two of its pieces joined."""
    plain = marked.replace("<mark>", "").replace("</mark>", "")
    return plain == original or any(
        plain[:cut] in original and plain[cut:] in original for cut in range(1, len(plain))
    )


@pytest.mark.parametrize(
    "words", ["<script", "onerror", "src", '<img "', "x", "标题", "javascript"]
)
def test_marking_only_adds_marks_to_the_hostile_sites_index(ask, hostile_site, words) -> None:
    """Every shape of script injection, as the search plugin indexed it: results carry the
    index's text unchanged but for <mark> around whole words, never inside a tag."""
    index = json.loads((hostile_site.site / "search" / searchworker.DOCUMENTS).read_text("utf-8"))
    docs = {doc["location"]: doc for doc in index["docs"]}
    (result,) = ask(words, docs=index["docs"])
    entries = [e for group in result["items"] for e in group if e["terms"]]
    assert entries, words
    for entry in entries:
        doc = docs[entry["location"]]
        assert _pieces(entry["title"], doc["title"]), entry["location"]
        assert _pieces(entry["text"], doc["text"]), entry["location"]
        for field in (entry["title"], entry["text"]):
            assert not re.search(r"<[^<>]*<mark>", field), field


def test_without_documents_to_fetch_the_worker_says_so(browser) -> None:
    """Served, with Material's index stripped of its documents and no documents.json to
    fetch: the worker answers (nothing) and says in the console which file it could not read."""
    context = browser.new_context()
    source = searchworker.worker().content

    def serve(route) -> None:
        path = route.request.url.removeprefix("http://brmkb.invalid")
        if path == "/":
            route.fulfill(body="<!doctype html><title>站点</title>", content_type="text/html")
        elif path == "/assets/javascripts/workers/w.js":
            route.fulfill(body=source, content_type="text/javascript")
        else:
            route.fulfill(status=404, body="")

    context.route("http://brmkb.invalid/**", serve)
    tab = context.new_page()
    logged: list[str] = []
    tab.on("console", lambda message: logged.append(message.text))
    tab.goto("http://brmkb.invalid/")
    run = RUN.replace(
        'URL.createObjectURL(new Blob([source], {type: "text/javascript"}))',
        '"/assets/javascripts/workers/w.js"',
    )
    index = {"config": CONFIG, "docs": [], "options": {"suggest": True}}
    results = tab.evaluate(run, {"source": "", "index": index, "queries": ["评审"]})
    context.close()
    assert results == [{"items": [], "suggest": []}]
    assert any("search/documents.json 无法读取" in text for text in logged), logged
