"""REG rules."""

PREFIX = "REG"

# Rule modules of this family, in code order.
RULES: tuple[str, ...] = (
    "approval_not_held",
    "implied_approval",
    "approval_scope_misstated",
    "prescription_framing",
    "regulatory_misconception",
)
