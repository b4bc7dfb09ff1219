"""DUR rules."""

PREFIX = "DUR"

# Rule modules of this family, in code order.
RULES: tuple[str, ...] = ("fast_onset", "durability_overstated")
