"""Provides the checks a framework passes after its schema: one module per topic, each check with its own code.

names: ids and the names conditions use; orders: visibility and derived-score cycles; scales: range scales and
options; questions: what each question type takes; sections: repeatable sections and weights; ratings: bands
and the scores they must cover; rules and heatmaps: what they refer to. Each adds problems to the Context the
model is built in (context.py).
"""
