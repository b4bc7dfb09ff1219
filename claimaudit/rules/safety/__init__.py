"""SAFE rules."""

PREFIX = "SAFE"

# Rule modules of this family, in code order.
RULES: tuple[str, ...] = ("absolute_safety", "asserted_safety", "dependence_reassurance")
