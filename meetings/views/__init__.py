"""The pages of the coordination meetings, one module per part of a meeting's life."""
