"""The ways in: the resident's form, /status, the call-centre desk, programme reassessments."""
