"""Relationship memory: what was sent to whom, replies, what to send next, copy-paste checks."""
