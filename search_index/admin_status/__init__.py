"""The search index's state where editors work: Django admin.

A status page (live index, documents vs indexable store products, pending changes and
their age, last rebuild) with *sync now* and, for superusers, *rebuild* run in a
separate process with its progress on the page; a dashboard panel; a *re-index selected*
action on store products; and a warning after a save whose index update failed.

A separate Django app (label ``search_index_admin``) so that its one table has its own
migrations; it lives under ``search_index`` because ``catalog``, ``tutorials`` and
``administrate`` must never import the index.
"""
