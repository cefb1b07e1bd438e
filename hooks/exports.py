"""MkDocs hook: publish the calendar feed (.ics) and the CSV exports with the site.

Listed in mkdocs.yml's ``hooks``. After every build it writes, into ``<site>/exports/``,
the files ``brmkb export`` writes: ``calendar.ics`` (every service), ``calendar-<service>.ics``
(one per service), ``findings.csv`` and ``calendar.csv``. All the work is in
``brmkb.export``; this file only hands it the knowledge base and the site folder.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from brmkb import export, site
from brmkb.policy import PolicyError
from brmkb.tree import RecordsError

#: Folder of the site the files are published in (links on the pages point here).
FOLDER = "exports"

log = logging.getLogger("mkdocs.plugins.brmkb.exports")


#: Where hooks/brmkb_site.py leaves the export files it made while it checked the records, so
#: that they are checked once per build.
EXPORTS_KEY = "brmkb_exports"


def on_post_build(*, config: MkDocsConfig) -> None:
    contents = config.get(EXPORTS_KEY)
    if contents is None:  # used without the site hook
        root = site.root_of(config.config_file_path)
        from brmkb import engine  # only here: with the site hook, the check runs elsewhere

        try:
            contents = export.files(engine.run(root))
        except PolicyError as error:
            raise PluginError(f"brmkb：策略文件有误，无法导出日历和 CSV：{error}") from None
        except RecordsError as error:
            raise PluginError(f"brmkb：{error}") from None
    written = export.save(contents, Path(config.site_dir) / FOLDER)
    log.info(f"brmkb：已发布 {len(written)} 个导出文件到 {FOLDER}/")
