"""CITE rules."""

PREFIX = "CITE"

# Rule modules of this family, in code order.
RULES: tuple[str, ...] = (
    "uncited_research",
    "unresolved_marker",
    "weak_source",
    "off_topic_source",
    "wrong_author_year",
    "phantom_authority",
    "source_misrepresented",
)
