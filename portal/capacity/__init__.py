"""Capacity and clusters: on-request work only takes what the highest-risk homes leave free."""
