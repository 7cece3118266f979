"""Provides the planner's terminal app (Textual): imported only by the commands that open it."""
