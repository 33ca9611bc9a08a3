"""The request aggregate: model, states, transitions, the one writer, history, references.

It imports nothing from intake, triage or capacity: those use it, and what must happen after
a request changes subscribes to its events (`portal.requests.events`).
"""
