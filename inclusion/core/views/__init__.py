"""Core's own pages (one module each)."""
