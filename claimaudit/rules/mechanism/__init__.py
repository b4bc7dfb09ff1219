"""MECH rules."""

PREFIX = "MECH"

# Rule modules of this family, in code order.
RULES: tuple[str, ...] = ("misconception", "overstated_mechanism")
