"""Guides generated from the schema, the rule registry and brmkb.coverage; clause badges."""

from __future__ import annotations

import re

from brmkb import cli, engine, policy, registry
from brmkb.coverage import CLAUSES, NOT_CHECKABLE
from brmkb.schema import KINDS
from brmkb.site import build, procedure, urls
from brmkb.procedure import source as procedure_source
from tests.site import kbs
from tests.site.conftest import REPO, page_of


def test_fields_page_documents_every_kind_and_field(seeded) -> None:
    content = page_of(seeded, urls.FIELDS)
    for kind in KINDS.values():
        assert f"{{#kind-{kind.name}}}" in content
        for key, prop in kind.schema["properties"].items():
            assert f"<td><code>{key}</code></td><td>{prop['title']}</td>" in content, (
                kind.name,
                key,
            )


def test_fields_page_explains_values_and_conditions(seeded) -> None:
    content = page_of(seeded, urls.FIELDS)
    assert "<code>periodic</code> 定期服务评审" in content
    assert "type 为 additional 时，还须填写 change、phase。" in content
    assert "service 和 record 至少填写一项。" in content
    assert "<code>attendees</code>（参会人员）的每一项：" in content
    assert "日期 <code>YYYY-MM-DD</code>" in content
    # intervals in months, stated once, both ends on time (the record contract)
    assert content.count("月份按日历计算") == 1
    assert "到期日当天完成也算按时" in content


def test_rules_page_has_every_rule_and_its_documentation(seeded) -> None:
    content = page_of(seeded, urls.RULES)
    for rule in registry.all_rules():
        assert f"## {rule.title}（{rule.id}） {{#{urls.rule_anchor(rule.id)}}}" in content
        assert rule.summary in content
        section = content.split(f"{{#{urls.rule_anchor(rule.id)}}}", 1)[1].split("\n## ", 1)[0]
        # the clause and default severity are shown once, in the status line
        assert section.count("默认严重性") == 1 and not re.search("^条款：", section, re.M)
    # the same text as `brmkb explain`, headings one level down
    assert "**策略选项**" in content and "## 策略选项" not in content


def test_explain_has_one_source() -> None:
    assert cli.explanation is registry.explanation


def test_rules_page_shows_policy_changes(tmp_path) -> None:
    files = dict(kbs.FILES)
    files["policy.yml"] = (
        f"as_of: {kbs.AS_OF}\nrules:\n"
        "  review-frequency: {severity: warning, interval_months: 3}\n"
        "  annual-review: {enabled: false}\n"
    )
    content = page_of(build(engine.run(kbs.write(tmp_path, files))), urls.RULES)
    section = content.split("{#rule-review-frequency}", 1)[1].split("\n## ", 1)[0]
    assert "本库策略：严重性为警告；interval_months = 3" in section
    annual = content.split("{#rule-annual-review}", 1)[1].split("\n## ", 1)[0]
    assert "未启用" in annual and "已关闭" in annual


def test_rules_page_lists_the_shared_settings_with_this_policy_s_values(tmp_path) -> None:
    files = {**kbs.FILES, "policy.yml": f"as_of: {kbs.AS_OF}\nattachment_types: [pdf, png]\n"}
    content = page_of(build(engine.run(kbs.write(tmp_path, files))), urls.RULES)
    section = content.split("{#settings}", 1)[1].split("\n## ", 1)[0]
    for key in policy.DEFAULTS:
        assert f"<code>{key}</code>" in section
    assert "<code>pdf, png</code>" in section and "从不发布" in section


def test_coverage_page_lists_every_clause(seeded) -> None:
    content = page_of(seeded, urls.COVERAGE)
    for clause in CLAUSES:
        assert f'href="../../procedure/#{urls.clause_anchor(clause)}">{clause}</a>' in content
    for reason in NOT_CHECKABLE.values():
        assert reason in content
    assert "全部条款已覆盖或说明" in content


def test_every_clause_of_the_coverage_has_an_anchor_in_the_procedure() -> None:
    text = procedure_source()
    anchors = set(re.findall(r"#clause-([\d-]+)", text))
    for clause in CLAUSES:
        assert clause.replace(".", "-") in anchors, clause


def test_badges_follow_each_clause(seeded_ctx) -> None:
    text = procedure_source()
    out = procedure.decorate(procedure.clause_lines(seeded_ctx), text)
    block = out.split("{: #clause-3-2-3 .brm-clause }", 1)[1].split("**3.2.4**", 1)[0]
    assert 'class="brm-badge brm-warn" href="../dashboard/#findings-action-tracking"' in block
    assert "行动项跟踪 · 警告 1" in block
    assert 'href="../guide/rules/#rule-deviation-action"' in block  # passing: to its documentation
    clause_4 = out.split("{#clause-4}", 1)[1].split("|", 1)[0]
    assert "monthly-report" in clause_4 and "output-preparer" in clause_4
    assert (
        "不由记录检查" in out.split("{: #clause-2-2-1 .brm-clause }", 1)[1].split("**2.2.2**", 1)[0]
    )
    # each rule appears under each clause it enforces
    for rule in seeded_ctx.rules:
        for clause in rule.clauses:
            anchor = "clause-" + clause.replace(".", "-")
            assert anchor in text, clause
            after = out.split(f"#{anchor}", 1)[1].split("#clause-", 1)[0]
            assert f"{rule.title} · " in after, (rule.id, clause)


def test_decorate_leaves_other_pages_alone(seeded) -> None:
    assert (
        seeded.publish().decorate("index.md", "# 首页 {: #clause-3-1-1 }")
        == "# 首页 {: #clause-3-1-1 }"
    )


def test_numbered_clauses_become_headings_of_their_own() -> None:
    text = "### 3.1 服务评审 {#clause-3-1}\n\n**3.1.1** 项目经理应…\n{: #clause-3-1-1 }\n\n"
    text += "**3.1.5.1** 《服务合同》\n{: #clause-3-1-5-1 .brm-subclause }\n"
    out = procedure.clause_headings(text)
    assert "#### **3.1.1** 项目经理应… {: #clause-3-1-1 .brm-clause }" in out
    assert "##### **3.1.5.1** 《服务合同》 {: #clause-3-1-5-1 .brm-clause .brm-subclause }" in out
    assert out.startswith("### 3.1 服务评审 {#clause-3-1}")


def test_fields_page_states_the_id_rules(seeded) -> None:
    content = page_of(seeded, urls.FIELDS)
    assert "不超过 100 个字符" in content and "`CHG-2025-001`" in content
    assert "**不区分大小写**" in content and "编号大小写不一致" in content
    assert "2025-06-30 起 6 个月为 2025-12-31" in content


def test_rule_summaries_show_code_spans_as_code(seeded) -> None:
    # the rules table and the dashboard write a rule's summary as HTML; `brmkb new` is a
    # command (the rule's own section on the rules page is Markdown: code there already)
    assert "<td>记录里没有 <code>brmkb new</code> 留下" in page_of(seeded, urls.RULES)
    dashboard = page_of(seeded, urls.DASHBOARD)
    assert "<small>记录里没有 <code>brmkb new</code> 留下" in dashboard
    assert "`brmkb new`" not in dashboard


def test_code_spans_in_summaries_stay_escaped() -> None:
    from brmkb.site.html import esc_code

    assert esc_code("用 `<b>` 与 `a&b`，`未闭合") == (
        "用 <code>&lt;b&gt;</code> 与 <code>a&amp;b</code>，`未闭合"
    )
