"""DISC rules."""

PREFIX = "DISC"

# Rule modules of this family, in code order.
RULES: tuple[str, ...] = (
    "off_label_omitted",
    "side_effects_omitted",
    "contraindications_omitted",
    "evidence_limits_omitted",
    "review_date_omitted",
    "sources_omitted",
)
