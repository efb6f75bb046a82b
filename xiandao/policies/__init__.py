"""Policy documents: uploads, the proposals the extractor makes from them, and their confirmation.

``extraction/`` is the pure extractor; the rest of the app stores an uploaded text, its proposals
and an admin's decisions, and confirms accepted ones into the programme through
``xiandao.programmes.services.confirmation``.
"""
