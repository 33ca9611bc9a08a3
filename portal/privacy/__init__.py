"""The resident's data: what is held (per field), how long, export, erasure and retention."""
