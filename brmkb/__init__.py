"""brmkb: the business relationship management knowledge base and its compliance checks."""

__version__ = "0.1.0"
