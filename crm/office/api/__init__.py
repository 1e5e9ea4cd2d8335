"""JSON endpoints of the office: one module per endpoint group."""
