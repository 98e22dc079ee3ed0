"""Composing drafts: the template catalog, filters, rendering, drafting a roster."""
