"""JSON endpoints of engagement, one router per topic (mounted in config/api.py)."""
