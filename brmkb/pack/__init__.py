"""``brmkb pack``: the audit pack of a period, one module per part.

``scope`` (what is in it), ``pages`` (the offline site), ``workbook`` (evidence.xlsx),
``pdf`` (printed reports), ``archive`` (manifest, checksums, zip) and ``build`` (all of it).
"""


class PackError(Exception):
    """The pack cannot be made; the message is one line, in Chinese (exit status 2)."""
