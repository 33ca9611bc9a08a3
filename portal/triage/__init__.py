"""Triage: the request state machine, routing against the register, the queue and decisions."""
