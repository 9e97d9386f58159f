"""The JSON API for plans, areas, actions, progress updates and deadline changes (docs/api.md)."""
