"""The address register: addresses, buildings, municipalities and programme status."""
