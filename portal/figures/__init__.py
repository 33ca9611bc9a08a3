"""Figures on pace for the region and the public, published so that no home can be traced."""
