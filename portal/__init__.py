"""Opnameloket: inspection and reassessment on request for the Groningen reinforcement operation.

The application factory is `portal.app.create_app`; the layers are described in
docs/architecture.md.
"""
