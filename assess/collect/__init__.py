"""Provides headquarters collection: many reports and answers files -> one store -> comparison -> summary.

    from assess.collect.collect import collect
    from assess.collect.compare import compare
    from assess.collect.store import Store

    with Store("hq.sqlite") as store:
        result = collect(["inbox/"], store)  # CollectResult: counts, and why each rejected file was
        comparison = compare(store, mission="UNIMVA")  # Comparison: scores, trends, recurring actions, gaps

Modules: store (the only SQL), collect, compare (and its CSV), summary (the Word summary and its chart),
template (builds templates/summary.docx), periods, cli. Nothing is imported here, so that `assess`, which
registers the commands through assess.collect.cli, starts as fast as before.
"""
