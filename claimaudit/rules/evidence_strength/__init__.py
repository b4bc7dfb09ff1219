"""EVI rules."""

PREFIX = "EVI"

# Rule modules of this family, in code order.
RULES: tuple[str, ...] = (
    "overstated_efficacy",
)
