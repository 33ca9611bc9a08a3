"""Triage: routing against the register, the queue, decisions and their letters, call backs."""
