"""Provides headquarters collection: many reports and answers files -> one store -> comparison -> summary.

    from assess.collect.collect import collect
    from assess.collect.compare import compare
    from assess.collect.store import Store

    with Store("hq.sqlite") as store:  # or Store("postgresql://hq@db.example/assess")
        result = collect(["inbox/"], store)  # CollectResult: counts, and why each rejected file was
        comparison = compare(store, mission="UNIMVA")  # Comparison: scores, trends, recurring actions, gaps

Modules, in the order of a file's journey: discover (which files), read (one file: its payload read by
assess.report.payload and checked by verify, or an answers file scored; with frameworks and refusals), rows (the
typed records the store keeps), readers (the forked reader processes), collect (read -> verify -> write, one
writer), store and migrations (the only SQL: filters, conflicts; the backends sqlite and postgres, picked by the
store's address), compare and comparison (the comparison and its CSV), summary (the Word summary and its chart),
template (builds templates/summary.docx), variables, periods, cli. Nothing is imported here, so that `assess`,
which registers the commands through assess.collect.cli, starts as fast as before.
"""
