"""`drafter import`: contacts from where they already are (LinkedIn, Google, vCard) into a roster.

Each reader turns one export format into roster rows (plain mappings in the roster's own field
names); merge.py adds them to a roster without touching anything the user wrote.
"""
