"""Resident intake: the request, the resident's form and the reference number."""
