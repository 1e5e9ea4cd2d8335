"""Importing customers from CSV: read (reading), map columns (presets), check every row without
writing (plan), then write all or nothing (apply). The file waits between the dry run and the
confirmation in storage (keep). See docs/adr/0005-csv-import-with-tablib.md."""
