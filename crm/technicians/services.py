"""Writes for technicians. (A customer's rating of a technician is customer feedback about a
job: its writes are crm/reviews/services.py, beside the reviews that record it too.)"""
