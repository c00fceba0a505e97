"""Workflows of the goal-setting cycle, one module per domain: each one a function, inside one
transaction.

They raise `ValidationError` with a translated message when a rule refuses the step; who may
start a workflow at all is checked by the view, through the QuerySet methods of the models.
"""
