"""Offline sentiment of customer messages in English and Spanish (issue 15)."""
