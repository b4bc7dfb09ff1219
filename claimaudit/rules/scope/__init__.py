"""SCOPE rules."""

PREFIX = "SCOPE"

# Rule modules of this family, in code order.
RULES: tuple[str, ...] = (
    "design_overstated",
    "transplanted_result",
    "comparison_extended",
)
