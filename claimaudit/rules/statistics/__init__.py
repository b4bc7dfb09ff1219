"""STAT rules."""

PREFIX = "STAT"

# Rule modules of this family, in code order.
RULES: tuple[str, ...] = (
    "number_mismatch",
    "uncited_number",
    "outcome_definition",
    "control_arm_omitted",
)
