"""The procedure's rules. Each module registers its rules with ``@rule``; this list is the registry."""

from brmkb.rules import (  # noqa: F401
    annual_review,
    references,
    review_frequency,
    review_inputs,
    review_minutes,
    review_parties,
    review_sections,
    stakeholder_participation,
)
