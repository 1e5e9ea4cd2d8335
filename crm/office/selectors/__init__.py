"""Reads that compose several apps for the office's pages and the customer fetch."""
