"""Perspectief: the platform on which Dutch labour-market regions run Perspectief op Werk."""

__version__ = "0.1.0"
