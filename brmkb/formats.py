"""Problems in the files themselves, reported by the loader before any procedure rule runs."""

from brmkb.findings import Severity
from brmkb.registry import format_rule

ENCODING = format_rule(
    "encoding", "文件编码", "文件不是 UTF-8 编码。\n\n记录文件须以 UTF-8 保存（可带 BOM）。"
)
FILE_SIZE = format_rule(
    "file-size",
    "文件大小",
    "文件过大。\n\n记录文件不应超过策略规定的大小，附件请放在 attachments/。",
)
FRONT_MATTER = format_rule(
    "front-matter",
    "头信息",
    "缺少或未结束的 YAML 头信息。\n\n记录以 --- 行开头，字段之后以 --- 行结束。",
)
YAML_SYNTAX = format_rule("yaml-syntax", "YAML 语法", "YAML 语法错误（含 Tab 缩进、别名膨胀）。")
SCHEMA = format_rule(
    "schema", "字段格式", "字段不符合记录格式：缺少必填字段、未知字段、类型或取值错误。"
)
DATE_FORMAT = format_rule(
    "date-format", "日期格式", "日期或月份不是 ISO 格式（YYYY-MM-DD / YYYY-MM）。"
)
DUPLICATE_ID = format_rule(
    "duplicate-id",
    "编号重复",
    "记录编号重复。\n\n每个 id 在整个知识库中必须唯一，不区分大小写（`CHG-1` 与 `chg-1` 重复）。",
)
SYMLINK = format_rule(
    "symlink",
    "符号链接",
    "不能读取的符号链接被拒绝。\n\n指向 records/ 之外、循环或失效的符号链接，以及指向目录的链接，"
    "既不读取也不发布。",
    Severity.ERROR,
)
FILE_ACCESS = format_rule(
    "file-access",
    "文件访问",
    "文件或目录无法读取（权限不足，或不是普通文件）。\n\n其中的记录没有被检查。",
)
ATTACHMENT_TYPE = format_rule(
    "attachment-type",
    "附件类型",
    "附件类型不在发布范围内。\n\nrecords/ 下除记录外的文件（附件）只发布策略 `attachment_types` "
    "列出的类型；HTML、SVG、脚本等浏览器会执行的类型从不发布。",
)
RECORD_LIMITS = format_rule(
    "record-limits",
    "正文限制",
    "正文超出渲染限制。\n\n正文的单行长度不超过策略 `max_line_chars`，HTML 标签、列表和引用的嵌套"
    "不超过 `max_nesting` 层，否则站点无法在合理时间内生成该页；这样的记录不会被读取和发布。"
    "同样不读取的还有渲染起来要很长时间的正文：大量没有闭合的 `[`、`(` 或 `<`（如 `a<b` 写了"
    "成千上万次），或很长的段落里有大量 Markdown 标记（如整段的 `\\`）；把作为文字的符号写成 "
    "`\\[`、`&lt;`，用空行分段，或放进代码块即可。",
)
BODY_HTML = format_rule(
    "body-html",
    "正文 HTML",
    "正文中有站点不会发布的 HTML。\n\n"
    "记录正文在 Markdown 渲染后只保留 Markdown 及站点扩展能产生的内容：标题、段落、列表、"
    "任务列表、表格、提示框、折叠块、代码块、图片和链接。脚本、样式、框架、对象、表单、"
    "meta/base 元素、事件属性（on…）、以 `__` 开头的 id 或名称（站点自身使用，如 `__config`）"
    "以及 http、https、mailto 和相对地址以外的链接都会被删除。"
    "检查把它们指出来，以免发布的页面与作者所写的不同；代码块中的 HTML 是示例文字，不在此列。"
    '指向其他网站的 HTML 图片（`<img src="https://…">`）也会指出：站点不从其他网站加载任何内容，'
    "这样的图片不会显示，请把图片放进附件目录并用相对路径引用（Markdown 图片 `![图](https://…)` "
    "在站点上改为链接，构建时提示）。",
    Severity.WARNING,
)
