"""JSON Schema of policy.yml, for editors: derived from the same defaults the policy validates.

``brmkb.policy`` stays the validator (its messages name the line and suggest a fix); this
schema lets an editor flag the same mistakes while typing and show each setting's meaning.
Types follow ``policy._same_type``: a setting or option takes the type of its default.
"""

from __future__ import annotations

from typing import Any

from brmkb.findings import Severity
from brmkb.policy import DEFAULTS, SETTING_DOCS
from brmkb.registry import all_rules
from brmkb.schema import SCHEMA_URI

_SEVERITY = {"enum": [s.value for s in Severity], "description": "error、warning 或 info"}


def _typed(default: Any) -> dict[str, Any]:
    """The JSON Schema type of a value that must have the same type as ``default``."""
    if isinstance(default, bool):
        return {"type": "boolean"}
    if isinstance(default, int):
        return {"type": "integer", "minimum": 0}
    if isinstance(default, str):
        return {"type": "string"}
    if isinstance(default, list):
        return {"type": "array", **({"items": _typed(default[0])} if default else {})}
    if isinstance(default, dict):
        return {
            "type": "object",
            "properties": {key: _typed(value) for key, value in default.items()},
        }
    return {}


def _chosen(typed: dict[str, Any], choices: tuple[str, ...] | None) -> dict[str, Any]:
    """``typed`` limited to a rule's choices: the values of a text option, the keys of a mapping."""
    if not choices:
        return typed
    if typed.get("type") != "object":
        return {**typed, "enum": list(choices)}
    values = next(iter(typed["properties"].values()), {})
    return {**typed, "propertyNames": {"enum": list(choices)}, "additionalProperties": values}


def _setting(key: str, default: Any) -> dict[str, Any]:
    if key == "as_of":
        typed = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    else:
        typed = _typed(default)
    return {**typed, "description": SETTING_DOCS[key]}


def export() -> dict[str, Any]:
    """The schema of policy.yml: shared settings, then every rule with its options."""
    rules: dict[str, Any] = {}
    for rule in all_rules():
        options = {
            key: _SEVERITY
            if key.endswith("severity")
            else _chosen(_typed(value), rule.choices.get(key))
            for key, value in rule.options.items()
        }
        rules[rule.id] = {
            "type": "object",
            "description": f"{rule.clause or '格式'} {rule.summary}",
            "properties": {"severity": _SEVERITY, "enabled": {"type": "boolean"}, **options},
            "additionalProperties": False,
        }
    return {
        "$schema": SCHEMA_URI,
        "$id": "https://brmkb.invalid/schema/policy.json",
        "title": "brmkb 策略文件 policy.yml",
        "type": "object",
        "properties": {
            **{key: _setting(key, default) for key, default in DEFAULTS.items()},
            "rules": {
                "type": ["object", "null"],
                "description": "每条规则可设 severity（error/warning/info）、enabled（true/false）及其选项",
                "properties": rules,
                "additionalProperties": False,
            },
        },
        "additionalProperties": False,
    }
