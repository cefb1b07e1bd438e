"""The procedure's rules. Each module registers its rules with ``@rule``; this list is the registry."""

from brmkb.rules import (  # noqa: F401
    actions,
    adhoc_review,
    annual_review,
    change_reviews,
    complaints,
    deviations,
    monthly_reports,
    output_records,
    record_content,
    references,
    review_frequency,
    review_inputs,
    review_minutes,
    review_parties,
    review_sections,
    satisfaction,
    stakeholder_participation,
)
