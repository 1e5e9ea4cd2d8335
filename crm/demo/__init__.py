"""Demo data for `make run` and the scale benchmarks: `manage.py seed_demo`, or from code

    from crm.demo.seed import DEFAULT_CUSTOMERS, DEFAULT_SEED, demo_seed
    summary = demo_seed(customers=DEFAULT_CUSTOMERS, seed=DEFAULT_SEED)  # -> DemoSummary

Deterministic: the same seed, customer count and day give identical rows (every date is an
offset from midnight of the company's today, or of `today=` when given). A database that already
has customers is refused (DemoDataExists) unless `append=True` / `--append`, so `make run` can
call it on every start. Modules: one per topic (customers, appliances, jobs, money, feedback,
referrals, timeline), texts in messages.py and problems.py, the showcase customer in
showcase.py, the chunked insert in rows.py.
"""
