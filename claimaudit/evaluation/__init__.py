"""Scoring the auditor against gold annotations (the seed-gold format)."""
